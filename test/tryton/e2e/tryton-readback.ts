// Reading Tryton back after the hub delivered: what is really in the ERP, found by the references Fieldsync
// wrote (invoice `reference`, the work-order number on the moves' tag), counted so duplicates show.
import { Decimal } from 'decimal.js';
import type { TrytonClient } from '../../../src/connectors/tryton/transport/index.js';
import { tagAttachments } from '../fixtures.js';

export interface TrytonMove {
  id: number;
  product: number;
  quantity: number;
  from_location: number;
  to_location: number;
  state: string;
}

/**
 * The moves Fieldsync tagged with a label (the work-order number): every op a tag attachment lists under
 * that label, and the moves it lists. One delivery tags one op; a second entry would be a duplicate
 * delivery. Reads batch marks (a description line `<tag> TAB <ids> TAB <label>` per op) and per-op
 * attachments (name = the label).
 */
export async function taggedMoves(
  client: TrytonClient,
  label: string,
): Promise<{ tags: number; moves: TrytonMove[] }> {
  const tags = await tagAttachments(client, 'stock.move', { label });
  const ids = tags.flatMap((t) => t.ids);
  const moves =
    ids.length === 0
      ? []
      : await client.read<TrytonMove>('stock.move', ids, [
          'product',
          'quantity',
          'from_location',
          'to_location',
          'state',
        ]);
  return { tags: tags.length, moves };
}

/** Every move out of `location`, in any state: duplicates and stray drafts included. */
export async function movesFrom(client: TrytonClient, location: number): Promise<TrytonMove[]> {
  return client.searchRead<TrytonMove>('stock.move', [['from_location', '=', location]], {
    fields: ['product', 'quantity', 'from_location', 'to_location', 'state'],
  });
}

export interface TrytonInvoice {
  id: number;
  reference: string;
  number: string | null;
  state: string;
  total_amount: string;
  party: number;
  lines: TrytonInvoiceLine[];
}

export interface TrytonInvoiceLine {
  id: number;
  description: string;
  quantity: number;
  unit_price: string;
  amount: string;
  product: number | null;
  /** Analytic accounts (cost centers) of the line. */
  analytic: number[];
}

/** Customer invoices with this reference (there must be exactly one), with their lines and cost centers. */
export async function invoicesByReference(client: TrytonClient, reference: string): Promise<TrytonInvoice[]> {
  const invoices = await client.searchRead<Omit<TrytonInvoice, 'lines'> & { lines: number[] }>(
    'account.invoice',
    [
      ['type', '=', 'out'],
      ['reference', '=', reference],
    ],
    { fields: ['reference', 'number', 'state', 'total_amount', 'party', 'lines'] },
  );
  const out: TrytonInvoice[] = [];
  for (const invoice of invoices) {
    const lines = await client.read<Omit<TrytonInvoiceLine, 'analytic'>>(
      'account.invoice.line',
      invoice.lines,
      ['description', 'quantity', 'unit_price', 'amount', 'product'],
    );
    const entries = await client.searchRead<{ origin: string; account: number }>(
      'analytic.account.entry',
      [['origin', 'in', invoice.lines.map((l) => `account.invoice.line,${l}`)]],
      { fields: ['origin', 'account'] },
    );
    out.push({
      ...invoice,
      lines: lines.map((l) => ({
        ...l,
        analytic: entries.filter((e) => e.origin === `account.invoice.line,${l.id}`).map((e) => e.account),
      })),
    });
  }
  return out;
}

/** Decimal strings as Tryton prints them, normalised so '45' and '45.00' compare equal. */
export const amount = (value: string | number): string => new Decimal(value).toFixed(2);

/** The analytic account (cost center) id of a code. */
export async function costCenterId(client: TrytonClient, code: string): Promise<number> {
  const [id] = await client.search('analytic_account.account', [['code', '=', code]]);
  if (id === undefined) throw new Error(`no cost center ${code} in Tryton`);
  return id;
}

/**
 * The cost postings of a work order (tryton-maintenance-costs): every account move whose description names
 * it, with its analytic lines as (cost center, debit − credit). One costing is one move; two would be a
 * duplicate delivery.
 */
export async function costPostings(
  client: TrytonClient,
  workOrderNumber: string,
): Promise<{ state: string; analytic: [number, string][] }[]> {
  const moves = await client.searchRead<{ id: number; state: string }>(
    'account.move',
    [['description', 'like', `Maintenance ${workOrderNumber} [fieldsync:%`]],
    { fields: ['state'] },
  );
  const out = [];
  for (const move of moves) {
    const lines = await client.searchRead<{ account: number; debit: string; credit: string }>(
      'analytic_account.line',
      [['move_line.move', '=', move.id]],
      { fields: ['account', 'debit', 'credit'] },
    );
    out.push({
      state: move.state,
      analytic: lines.map((l): [number, string] => [
        l.account,
        amount(new Decimal(l.debit).minus(l.credit).toFixed(2)),
      ]),
    });
  }
  return out;
}
