import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { WriteOp, WriteResult } from '../../../sdk/connector.js';
import { ConnectorError } from '../../../sdk/connector-error.js';
import { describe, findDescribed } from '../../runtime/described.js';
import { failedResult, okResult, opError } from '../../runtime/errors.js';
import { isolateFailures } from '../../runtime/isolate.js';
import {
  amountOf,
  currencyOf,
  dateSchema,
  moneySchema,
  parsePayload,
  refSchema,
} from '../../runtime/payload.js';
import { documentReference, lookUpBeforeCreate, referenceTag } from '../../runtime/references.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { buttonOptions } from '../../runtime/runtime.js';
import { dateOf } from '../../runtime/stamps.js';

const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. "EUR"');

/**
 * One cost center's cost. `work_order.costed` lines fit as they are (`costCenter`, `amount`, `currency`;
 * other keys such as labor, parts and assetIds are ignored), so a mapping can pass them straight through.
 * A negative amount gives cost back (a correction).
 */
export const costLineSchema = z
  .object({
    costCenter: refSchema,
    amount: moneySchema,
    currency: currencySchema.optional(),
    description: z.string().trim().min(1).max(500).optional(),
  })
  .loose();

/**
 * A cost booked on cost centers (maintenance cost of a work order per asset cost center, ...): either one
 * `amount` on one `costCenter`, or `lines` of several, posted together as one account move.
 */
export const costPayloadSchema = z
  .object({
    reference: z.string().trim().min(1).max(500).optional(),
    description: z.string().trim().min(1).max(500).optional(),
    date: dateSchema.optional(),
    amount: moneySchema.optional(),
    costCenter: refSchema.optional(),
    currency: currencySchema.optional(),
    lines: z.array(costLineSchema).min(1).max(500).optional(),
    expenseAccount: refSchema.optional(),
    counterpartAccount: refSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const single = p.amount !== undefined || p.costCenter !== undefined;
    if (single && p.lines !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['lines'],
        message: 'give lines, or amount and costCenter, not both',
      });
    else if (!single && p.lines === undefined)
      ctx.addIssue({ code: 'custom', path: ['lines'], message: 'give lines, or amount and costCenter' });
    else if (single && (p.amount === undefined || p.costCenter === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [p.amount === undefined ? 'amount' : 'costCenter'],
        message: 'amount and costCenter go together',
      });
  });
type CostPayload = z.output<typeof costPayloadSchema>;
type CostLine = z.output<typeof costLineSchema>;

interface Planned {
  index: number;
  op: WriteOp;
  payload: CostPayload;
  tag: string;
  id?: number;
  replayed: boolean;
}

async function period(rt: TrytonRuntime, date: string): Promise<number> {
  const ids = await rt.client.search(
    'account.period',
    [
      ['start_date', '<=', date],
      ['end_date', '>=', date],
      ['type', '=', 'standard'],
      ['company', '=', await rt.resolver.company()],
    ],
    { limit: 1 },
  );
  if (ids[0] === undefined) {
    throw new ConnectorError('validation', `no open accounting period in Tryton for ${date}`, {
      vendorDetail: { kind: 'reference', what: 'period', ref: date },
    });
  }
  return ids[0];
}

function linesOf(payload: CostPayload): CostLine[] {
  if (payload.lines) return payload.lines;
  return [
    {
      costCenter: payload.costCenter as CostLine['costCenter'],
      amount: payload.amount as CostLine['amount'],
    },
  ];
}

/** Postings are in the company's currency: a cost in another one is refused, never booked as if it were. */
async function assertCompanyCurrency(
  rt: TrytonRuntime,
  payload: CostPayload,
  lines: CostLine[],
): Promise<void> {
  const company = await rt.resolver.companyCurrency();
  for (const [i, line] of lines.entries()) {
    const code = currencyOf(line.amount) ?? line.currency ?? payload.currency;
    if (code === undefined || (await rt.resolver.currency(code)) === company) continue;
    throw new ConnectorError(
      'validation',
      `${payload.lines ? `lines[${i}]: ` : ''}a cost in ${code} is not in the company's currency; convert it before booking`,
      { vendorDetail: { kind: 'reference', what: 'currency', ref: code, line: i } },
    );
  }
}

const debitCredit = (amount: Decimal) => ({
  debit: amount.isNegative() ? '0' : amount.toFixed(),
  credit: amount.isNegative() ? amount.neg().toFixed() : '0',
});

async function moveValues(rt: TrytonRuntime, p: Planned): Promise<Record<string, unknown>> {
  const { payload } = p;
  const lines = linesOf(payload);
  await assertCompanyCurrency(rt, payload, lines);
  const amounts = lines.map((l) => new Decimal(amountOf(l.amount)));
  if (amounts.every((a) => a.isZero())) throw new ConnectorError('validation', 'a cost of 0 books nothing');
  const date = payload.date ? dateOf(payload.date) : new Date().toISOString().slice(0, 10);
  const expense = payload.expenseAccount
    ? await rt.resolver.byRef('account.account', 'account', payload.expenseAccount)
    : await rt.resolver.account(rt.config.accounts.expense, 'default_category_account_expense');
  // Without a configured counterpart the cost is an analytic allocation only (debit and credit on the
  // expense account): the general ledger is unchanged, the cost centers carry the cost.
  const counterpart = payload.counterpartAccount
    ? await rt.resolver.byRef('account.account', 'account', payload.counterpartAccount)
    : rt.config.accounts.costCounterpart !== undefined
      ? await rt.resolver.byRef('account.account', 'account', rt.config.accounts.costCounterpart)
      : expense;
  const moveLines: Record<string, unknown>[] = [];
  for (const [i, line] of lines.entries()) {
    const amount = amounts[i] as Decimal;
    if (amount.isZero()) continue;
    const cc = await rt.resolver.costCenter(line.costCenter);
    const side = debitCredit(amount);
    const description = line.description ?? payload.description ?? null;
    moveLines.push({
      account: expense,
      ...side,
      description,
      analytic_lines: [['create', [{ account: cc.id, ...side, date }]]],
    });
  }
  const net = amounts.reduce((sum, a) => sum.plus(a), new Decimal(0));
  // Lines that move cost between cost centers can net to nothing: then no counterpart line is needed.
  if (!net.isZero()) {
    const side = debitCredit(net.neg());
    moveLines.push({ account: counterpart, ...side, description: payload.description ?? null });
  }
  return {
    journal: await rt.resolver.journal('expense'),
    company: await rt.resolver.company(),
    period: await period(rt, date),
    date,
    description: describe(payload.description, p.tag),
    lines: [['create', moveLines]],
  };
}

/**
 * Costs per cost center, as posted account moves whose expense line carries an analytic line. The tag sits
 * at the end of the move's description, written with the move, and is searched before create.
 */
export async function createCosts(rt: TrytonRuntime, ops: readonly WriteOp[]): Promise<WriteResult[]> {
  const results: (WriteResult | undefined)[] = new Array(ops.length);
  const planned: Planned[] = [];
  const byTag = new Map<string, Planned>();
  for (const [index, op] of ops.entries()) {
    if (op.op !== 'create') {
      results[index] = failedResult(
        op,
        opError('validation', `analytic_line does not support op "${op.op}"`),
      );
      continue;
    }
    const parsed = parsePayload(costPayloadSchema, op, 'analytic_line');
    if (!parsed.ok) {
      results[index] = failedResult(op, parsed.error);
      continue;
    }
    const tag = referenceTag(documentReference(op));
    const first = byTag.get(tag);
    const p: Planned = { index, op, payload: parsed.value, tag, replayed: first !== undefined };
    if (!first) byTag.set(tag, p);
    planned.push(p);
  }
  // First attempts with their own key as reference cannot have been written: no look-up for them.
  const lookups = [...byTag.values()].filter((p) => lookUpBeforeCreate(p.op)).map((p) => p.tag);
  const found = await findDescribed(rt, 'account.move', 'description', lookups);
  const fresh: { p: Planned; values: Record<string, unknown> }[] = [];
  for (const p of byTag.values()) {
    const ids = found.get(p.tag);
    if (ids?.[0] !== undefined) {
      p.id = ids[0];
      p.replayed = true;
      continue;
    }
    try {
      fresh.push({ p, values: await moveValues(rt, p) });
    } catch (error) {
      results[p.index] = failedResult(p.op, error);
    }
  }
  const created = await isolateFailures(fresh, (items) =>
    rt.client.create(
      'account.move',
      items.map((i) => i.values),
    ),
  );
  created.forEach((outcome, i) => {
    const { p } = fresh[i] as { p: Planned };
    if (outcome.ok) p.id = outcome.value;
    else results[p.index] = failedResult(p.op, outcome.error);
  });
  const withIds = [...byTag.values()].filter((p) => p.id !== undefined && results[p.index] === undefined);
  const states = new Map(
    withIds.length === 0
      ? []
      : (
          await rt.client.read<{ id: number; state: string }>(
            'account.move',
            withIds.map((p) => p.id as number),
            ['state'],
          )
        ).map((r) => [r.id, r.state]),
  );
  const drafts = withIds.filter((p) => states.get(p.id as number) === 'draft');
  const posted = await isolateFailures(drafts, async (items) => {
    await rt.client.execute(
      'account.move',
      'post',
      items.map((p) => p.id as number),
      buttonOptions(rt),
    );
    return items.map(() => undefined);
  });
  posted.forEach((outcome, i) => {
    const p = drafts[i] as Planned;
    if (!outcome.ok) results[p.index] = failedResult(p.op, outcome.error);
  });
  for (const p of planned) {
    if (results[p.index] !== undefined) continue;
    const owner = byTag.get(p.tag) as Planned;
    const ownerResult = results[owner.index];
    if (ownerResult && !ownerResult.ok) results[p.index] = failedResult(p.op, ownerResult.error);
    else if (owner.id !== undefined)
      results[p.index] = okResult(p.op, owner.id, p.replayed || owner.replayed);
  }
  return results.map(
    (r, i) => r ?? failedResult(ops[i] as WriteOp, opError('transient', 'no result for this op')),
  );
}
