import type { WriteOp, WriteResult } from '../../../sdk/connector.js';
import { ConnectorError } from '../../../sdk/connector-error.js';
import { failedResult, okResult, opError } from '../../runtime/errors.js';
import { isolateFailures } from '../../runtime/isolate.js';
import { currencyOf, parsePayload } from '../../runtime/payload.js';
import { documentReference, lookUpBeforeCreate } from '../../runtime/references.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { buttonOptions } from '../../runtime/runtime.js';
import { dateOf } from '../../runtime/stamps.js';
import { invoicePayloadSchema, linePricing } from './invoice-payload.js';
import type { InvoicePayload } from './invoice-payload.js';

interface Planned {
  index: number;
  op: WriteOp;
  payload: InvoicePayload;
  reference: string;
  id?: number;
  replayed: boolean;
}

async function invoiceValues(rt: TrytonRuntime, p: Planned): Promise<Record<string, unknown>> {
  const { payload } = p;
  const party = await rt.resolver.party(payload.party, payload.partyCode);
  if (party.address === null) {
    throw new ConnectorError('validation', `Tryton party ${party.id} has no address to invoice`, {
      vendorDetail: { kind: 'reference', what: 'invoice address', ref: party.id },
    });
  }
  const code =
    payload.currency ?? payload.lines.map((l) => currencyOf(l.unitPrice)).find((c) => c !== undefined);
  const refs = payload.lines.flatMap((l) => ((l.product ?? l.sku) ? [l.product ?? (l.sku as string)] : []));
  const products = await rt.resolver.products(refs);
  const lines: Record<string, unknown>[] = [];
  for (const [i, line] of payload.lines.entries()) {
    const ref = line.product ?? line.sku ?? undefined;
    const product = ref === undefined ? undefined : products.get(String(ref));
    if (ref !== undefined && !product) {
      throw new ConnectorError('validation', `lines[${i}]: unknown Tryton product ${JSON.stringify(ref)}`, {
        vendorDetail: { kind: 'reference', what: 'product', ref, line: i },
      });
    }
    const priced = linePricing(line);
    const costCenter = line.costCenter ?? payload.costCenter;
    const analytic = costCenter ? await rt.resolver.costCenter(costCenter) : undefined;
    lines.push({
      type: 'line',
      description: priced.description,
      // account.invoice.line.quantity is a Float field; unit_price is Numeric (sent as a decimal string).
      quantity: Number(priced.quantity),
      unit_price: priced.unitPrice,
      account: await rt.resolver.revenueAccount(product?.accountCategory ?? null),
      ...(product ? { product: product.id, unit: product.uom } : {}),
      ...(analytic
        ? { analytic_accounts: [['create', [{ root: analytic.root, account: analytic.id }]]] }
        : {}),
    });
  }
  return {
    type: 'out',
    company: await rt.resolver.company(),
    party: party.id,
    invoice_address: party.address,
    currency: code ? await rt.resolver.currency(code) : await rt.resolver.companyCurrency(),
    account: await rt.resolver.account(rt.config.accounts.receivable, 'default_account_receivable'),
    journal: await rt.resolver.journal('revenue'),
    reference: p.reference,
    ...(payload.description ? { description: payload.description } : {}),
    ...(payload.date ? { invoice_date: dateOf(payload.date) } : {}),
    lines: [['create', lines]],
  };
}

/**
 * Customer invoices with one line per billing line, cost centers as analytic accounts, posted when
 * configured. The reference is written on the invoice in the same create call and searched first, so a
 * retry finds the invoice; one left in draft by an interrupted attempt is posted by the retry.
 */
export async function createInvoices(rt: TrytonRuntime, ops: readonly WriteOp[]): Promise<WriteResult[]> {
  const results: (WriteResult | undefined)[] = new Array(ops.length);
  const planned: Planned[] = [];
  const byReference = new Map<string, Planned>();
  const copies: { index: number; of: Planned }[] = [];
  for (const [index, op] of ops.entries()) {
    if (op.op !== 'create') {
      results[index] = failedResult(op, opError('validation', `invoice does not support op "${op.op}"`));
      continue;
    }
    const parsed = parsePayload(invoicePayloadSchema, op, 'invoice');
    if (!parsed.ok) {
      results[index] = failedResult(op, parsed.error);
      continue;
    }
    const reference = documentReference(op);
    const first = byReference.get(reference);
    if (first) {
      copies.push({ index, of: first });
      continue;
    }
    const p: Planned = { index, op, payload: parsed.value, reference, replayed: false };
    byReference.set(reference, p);
    planned.push(p);
  }

  // First attempts with their own key as reference cannot have been written: no look-up for them.
  const lookups = planned.filter((p) => lookUpBeforeCreate(p.op));
  const existing =
    lookups.length === 0
      ? []
      : await rt.client.searchRead<{ id: number; reference: string }>(
          'account.invoice',
          [
            ['type', '=', 'out'],
            ['reference', 'in', lookups.map((p) => p.reference)],
          ],
          { fields: ['reference'], order: [['id', 'ASC']] },
        );
  for (const row of existing) {
    const p = byReference.get(row.reference);
    if (p && p.id === undefined) {
      p.id = row.id;
      p.replayed = true;
    }
  }

  const fresh: { p: Planned; values: Record<string, unknown> }[] = [];
  for (const p of planned.filter((x) => x.id === undefined)) {
    try {
      fresh.push({ p, values: await invoiceValues(rt, p) });
    } catch (error) {
      results[p.index] = failedResult(p.op, error);
    }
  }
  const created = await isolateFailures(fresh, (items) =>
    rt.client.create(
      'account.invoice',
      items.map((i) => i.values),
    ),
  );
  created.forEach((outcome, i) => {
    const { p } = fresh[i] as { p: Planned };
    if (outcome.ok) p.id = outcome.value;
    else results[p.index] = failedResult(p.op, outcome.error);
  });

  const wantPosted = planned.filter(
    (p) =>
      p.id !== undefined &&
      results[p.index] === undefined &&
      (p.payload.state ?? rt.config.invoiceState) === 'posted',
  );
  const states = new Map(
    wantPosted.length === 0
      ? []
      : (
          await rt.client.read<{ id: number; state: string }>(
            'account.invoice',
            wantPosted.map((p) => p.id as number),
            ['state'],
          )
        ).map((r) => [r.id, r.state]),
  );
  const toPost = wantPosted.filter((p) => ['draft', 'validated'].includes(states.get(p.id as number) ?? ''));
  const posted = await isolateFailures(toPost, async (items) => {
    await rt.client.execute(
      'account.invoice',
      'post',
      items.map((p) => p.id as number),
      buttonOptions(rt),
    );
    return items.map(() => undefined);
  });
  posted.forEach((outcome, i) => {
    const p = toPost[i] as Planned;
    if (!outcome.ok) results[p.index] = failedResult(p.op, outcome.error);
  });

  for (const p of planned) {
    if (results[p.index] === undefined && p.id !== undefined)
      results[p.index] = okResult(p.op, p.id, p.replayed);
  }
  for (const { index, of } of copies) {
    const op = ops[index] as WriteOp;
    const original = results[of.index];
    results[index] = original?.ok
      ? { ...original, idempotencyKey: op.idempotencyKey, replayed: true }
      : failedResult(op, original && !original.ok ? original.error : opError('transient', 'no result'));
  }
  return results.map(
    (r, i) => r ?? failedResult(ops[i] as WriteOp, opError('transient', 'no result for this op')),
  );
}
