import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { WriteOp, WriteResult } from '../../../sdk/connector.js';
import { ConnectorError } from '../../../sdk/connector-error.js';
import { describe, findDescribed } from '../../runtime/described.js';
import { failedResult, okResult, opError } from '../../runtime/errors.js';
import { isolateFailures } from '../../runtime/isolate.js';
import { amountOf, dateSchema, moneySchema, parsePayload, refSchema } from '../../runtime/payload.js';
import { documentReference, referenceTag } from '../../runtime/references.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { buttonOptions } from '../../runtime/runtime.js';
import { dateOf } from '../../runtime/stamps.js';

/** A cost booked on a cost center (maintenance cost of an asset, ...). */
export const costPayloadSchema = z
  .object({
    reference: z.string().trim().min(1).max(500).optional(),
    description: z.string().trim().min(1).max(500).optional(),
    date: dateSchema.optional(),
    amount: moneySchema,
    costCenter: refSchema,
    expenseAccount: refSchema.optional(),
    counterpartAccount: refSchema.optional(),
  })
  .strict();
type CostPayload = z.output<typeof costPayloadSchema>;

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

async function moveValues(rt: TrytonRuntime, p: Planned): Promise<Record<string, unknown>> {
  const { payload } = p;
  const amount = new Decimal(amountOf(payload.amount));
  if (amount.isZero()) throw new ConnectorError('validation', 'a cost of 0 books nothing');
  const date = payload.date ? dateOf(payload.date) : new Date().toISOString().slice(0, 10);
  const cc = await rt.resolver.costCenter(payload.costCenter);
  const expense = payload.expenseAccount
    ? await rt.resolver.byRef('account.account', 'account', payload.expenseAccount)
    : await rt.resolver.account(rt.config.accounts.expense, 'default_category_account_expense');
  // Without a configured counterpart the cost is an analytic allocation only (debit and credit on the
  // expense account): the general ledger is unchanged, the cost center carries the cost.
  const counterpart = payload.counterpartAccount
    ? await rt.resolver.byRef('account.account', 'account', payload.counterpartAccount)
    : rt.config.accounts.costCounterpart !== undefined
      ? await rt.resolver.byRef('account.account', 'account', rt.config.accounts.costCounterpart)
      : expense;
  const debit = amount.isNegative() ? '0' : amount.toFixed();
  const credit = amount.isNegative() ? amount.neg().toFixed() : '0';
  return {
    journal: await rt.resolver.journal('expense'),
    company: await rt.resolver.company(),
    period: await period(rt, date),
    date,
    description: describe(payload.description, p.tag),
    lines: [
      [
        'create',
        [
          {
            account: expense,
            debit,
            credit,
            description: payload.description ?? null,
            analytic_lines: [['create', [{ account: cc.id, debit, credit, date }]]],
          },
          { account: counterpart, debit: credit, credit: debit, description: payload.description ?? null },
        ],
      ],
    ],
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
  const found = await findDescribed(rt, 'account.move', 'description', [...byTag.keys()]);
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
