import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf, forUpdate, isUniqueViolation } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { fromMinorUnits, toMinorUnits } from '../../shared/money.js';
import { assertVersion } from '../../shared/versioning.js';
import { PriceListEvents, priceListSubject } from './events.js';
import { parseInput } from '../../shared/parse-input.js';
import { overlapsLoose } from './periods.js';
import type { PriceList, PriceListCreate, PriceListPatch } from './price-list-schemas.js';
import { priceListCreateSchema, priceListPatchSchema } from './price-list-schemas.js';
import type { PriceListRow } from './price-list-repository.js';
import { FeeRef, LineKind, roleMates } from './price-list-repository.js';
import { checkItemRefs, resolveCustomer } from './references.js';
import { loadPriceList } from './price-list-read.service.js';

/**
 * Two active lists of one role (a currency's default, or a customer's own) never apply on the same day.
 * On PostgreSQL two writers could both see "no overlap" and insert; a transaction-scoped advisory lock on
 * the role serialises them. SQLite transactions already hold the single write lock.
 */
async function assertNoOverlap(
  db: Kysely<Database>,
  row: Omit<PriceListRow, 'version' | 'created_at' | 'updated_at' | 'external_refs'>,
) {
  if (row.status !== 'active') return;
  if (engineOf(db) === 'postgres') {
    const role = `price_list_role:${row.currency}:${row.customer_id ?? (Number(row.is_default) === 1 ? 'default' : row.id)}`;
    await sql`select pg_advisory_xact_lock(hashtext(${role}))`.execute(db);
  }
  const mates = await roleMates(db, {
    customerId: row.customer_id,
    isDefault: Number(row.is_default) === 1,
    currency: row.currency,
  });
  const clash = mates.find(
    (m) =>
      m.id !== row.id &&
      overlapsLoose(
        { validFrom: m.valid_from, validTo: m.valid_to },
        { validFrom: row.valid_from, validTo: row.valid_to },
      ),
  );
  if (!clash) return;
  const role = row.customer_id ? `customer ${row.customer_id}'s` : 'default';
  throw errors.conflict(
    `${role} ${row.currency} price list ${clash.id} (${clash.name}) already applies to part of this period`,
    {
      conflictingId: clash.id,
      conflictingValidFrom: clash.valid_from,
      conflictingValidTo: clash.valid_to,
    },
  );
}

function codeTaken(code: string | null, conflictingId?: string) {
  return errors.conflict(`price list code ${code ?? ''} is already used`, {
    field: 'code',
    ...(conflictingId && { conflictingId }),
  });
}

type Lines = { kind: string; ref: string; price: string }[];

function linesOf(input: {
  items: Record<string, string>;
  categories: Record<string, string>;
  laborRates: Record<string, string>;
  callOutFee?: string;
  perKmRate?: string;
}): Lines {
  const out: Lines = [];
  const add = (kind: string, map: Record<string, string>) =>
    Object.entries(map).forEach(([ref, price]) => out.push({ kind, ref, price }));
  add(LineKind.item, input.items);
  add(LineKind.category, input.categories);
  add(LineKind.labor, input.laborRates);
  if (input.callOutFee !== undefined)
    out.push({ kind: LineKind.fee, ref: FeeRef.callOut, price: input.callOutFee });
  if (input.perKmRate !== undefined)
    out.push({ kind: LineKind.fee, ref: FeeRef.perKm, price: input.perKmRate });
  return out;
}

async function insertLines(uow: UnitOfWork, listId: string, currency: string, lines: Lines): Promise<void> {
  // Chunked so a long list stays under SQLite's bound-parameter limit.
  for (let start = 0; start < lines.length; start += 200) {
    const chunk = lines.slice(start, start + 200).map((l) => ({
      id: newId(),
      price_list_id: listId,
      kind: l.kind,
      ref: l.ref,
      unit_price_minor: toMinorUnits(l.price, currency),
    }));
    await uow.tx.insertInto('price_list_lines').values(chunk).execute();
  }
}

export async function createPriceList(executor: Executor, raw: PriceListCreate): Promise<PriceList> {
  const input = parseInput(priceListCreateSchema, raw);
  return inTransaction(executor, async (uow) => {
    if (input.customerId) await resolveCustomer(uow, input.customerId);
    await checkItemRefs(uow, Object.keys(input.items));
    if (input.code) {
      const other = await uow.tx
        .selectFrom('price_lists')
        .select('id')
        .where('code', '=', input.code)
        .executeTakeFirst();
      if (other) throw codeTaken(input.code, other.id);
    }
    const now = nowIso();
    const row = {
      id: newId(),
      code: input.code ?? null,
      name: input.name,
      currency: input.currency,
      customer_id: input.customerId ?? null,
      is_default: input.isDefault ? 1 : 0,
      valid_from: input.validFrom ?? null,
      valid_to: input.validTo ?? null,
      status: 'active',
      external_refs: JSON.stringify(input.externalRefs ?? {}),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await assertNoOverlap(uow.tx, row);
    try {
      await uow.tx.insertInto('price_lists').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw codeTaken(row.code);
      throw error;
    }
    await insertLines(uow, row.id, row.currency, linesOf(input));
    const priceList = await loadPriceList(uow.tx, row.id);
    await uow.emit({ type: PriceListEvents.created, subject: priceListSubject(row.id), data: { priceList } });
    return priceList;
  });
}

const mapFields = [
  ['items', LineKind.item],
  ['categories', LineKind.category],
  ['laborRates', LineKind.labor],
] as const;
const feeFields = [
  ['callOutFee', FeeRef.callOut],
  ['perKmRate', FeeRef.perKm],
] as const;

/** Merges line changes (null removes a line), re-checks validity order and overlaps, and announces what changed. */
export async function updatePriceList(
  executor: Executor,
  id: string,
  raw: PriceListPatch,
  expectedVersion?: number,
): Promise<PriceList> {
  const patch = parseInput(priceListPatchSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('price_lists').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('price list', id);
    assertVersion('price list', id, Number(row.version), expectedVersion);
    const before = await loadPriceList(uow.tx, id);
    const next = { ...row };
    const changed: string[] = [];
    const set = <K extends 'code' | 'name' | 'valid_from' | 'valid_to' | 'status'>(
      field: string,
      column: K,
      value: PriceListRow[K] | undefined,
    ) => {
      if (value === undefined || value === row[column]) return;
      next[column] = value;
      changed.push(field);
    };
    set('code', 'code', patch.code);
    set('name', 'name', patch.name);
    set('validFrom', 'valid_from', patch.validFrom);
    set('validTo', 'valid_to', patch.validTo);
    set('status', 'status', patch.status);
    if (next.valid_from !== null && next.valid_to !== null && next.valid_to < next.valid_from) {
      throw errors.validation(`validTo ${next.valid_to} is before validFrom ${next.valid_from}`, [
        { path: ['validTo'], message: `must not be before validFrom ${next.valid_from}` },
      ]);
    }
    const removals: { kind: string; ref: string }[] = [];
    const upserts: Lines = [];
    for (const [field, kind] of mapFields) {
      const current = before[field];
      for (const [ref, price] of Object.entries(patch[field] ?? {})) {
        if (price === null ? current[ref] === undefined : current[ref] === toFixedPrice(price, row.currency))
          continue;
        if (price === null) removals.push({ kind, ref });
        else upserts.push({ kind, ref, price });
        if (!changed.includes(field)) changed.push(field);
      }
    }
    for (const [field, ref] of feeFields) {
      const price = patch[field];
      if (
        price === undefined ||
        (price === null ? before[field] === null : before[field] === toFixedPrice(price, row.currency))
      )
        continue;
      if (price === null) removals.push({ kind: LineKind.fee, ref });
      else upserts.push({ kind: LineKind.fee, ref, price });
      changed.push(field);
    }
    if (patch.externalRefs !== undefined) {
      const merged = JSON.stringify({
        ...(JSON.parse(row.external_refs) as Record<string, string>),
        ...patch.externalRefs,
      });
      if (merged !== row.external_refs) {
        next.external_refs = merged;
        changed.push('externalRefs');
      }
    }
    if (changed.length === 0) return before;
    await checkItemRefs(
      uow,
      upserts.filter((u) => u.kind === LineKind.item).map((u) => u.ref),
    );
    if (patch.code) {
      const other = await uow.tx
        .selectFrom('price_lists')
        .select('id')
        .where('code', '=', patch.code)
        .where('id', '!=', id)
        .executeTakeFirst();
      if (other) throw codeTaken(patch.code, other.id);
    }
    await assertNoOverlap(uow.tx, next);
    for (const line of [...removals, ...upserts]) {
      await uow.tx
        .deleteFrom('price_list_lines')
        .where('price_list_id', '=', id)
        .where('kind', '=', line.kind)
        .where('ref', '=', line.ref)
        .execute();
    }
    await insertLines(uow, id, row.currency, upserts);
    try {
      await uow.tx
        .updateTable('price_lists')
        .set({
          code: next.code,
          name: next.name,
          valid_from: next.valid_from,
          valid_to: next.valid_to,
          status: next.status,
          external_refs: next.external_refs,
          version: Number(row.version) + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw codeTaken(next.code);
      throw error;
    }
    const priceList = await loadPriceList(uow.tx, id);
    await uow.emit({
      type: PriceListEvents.updated,
      subject: priceListSubject(id),
      data: { priceList, changedFields: changed },
    });
    return priceList;
  });
}

function toFixedPrice(price: string, currency: string): string {
  return fromMinorUnits(toMinorUnits(price, currency), currency);
}
