import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { fromMinorUnits, toMinorUnits } from '../../shared/money.js';
import type { CapConsumption, CapUsage, ContractVersion } from './pricing/index.js';
import { capPeriodFor } from './pricing/index.js';

/**
 * The cap ledger (`billing_cap_usage`): one row per document, cap and period with what the document
 * consumed. Usage of a cap in a period = the sum over documents, fed to the engine as `capUsage`. A
 * re-priced draft replaces its rows; a credit note books the negation of its original's rows, so the
 * consumption is released while the history stays.
 */

/**
 * Serialises pricing against one contract's caps: two work orders of the same contract priced at the
 * same time must not both spend the same remaining amount. PostgreSQL: a transaction-scoped advisory
 * lock; SQLite transactions already hold the single write lock.
 */
export async function lockContractCaps(uow: UnitOfWork, contractId: string): Promise<void> {
  if (engineOf(uow.tx) !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`billing_caps:${contractId}`}))`.execute(uow.tx);
}

/** What other documents consumed of the contract's caps in the periods the document date falls in. */
export async function capUsageFor(
  db: Kysely<Database>,
  contract: ContractVersion,
  documentDate: string,
  excludeDocumentId?: string,
): Promise<CapUsage[]> {
  if (contract.caps.length === 0) return [];
  const wanted = contract.caps.map((cap) => ({
    capId: cap.id,
    periodKey: capPeriodFor(cap.period, documentDate, contract.startDate).key,
    currency: cap.limit.currency,
  }));
  let query = db
    .selectFrom('billing_cap_usage')
    .select(['cap_id', 'period_key', 'currency'])
    .select((eb) => eb.fn.sum<string | number>('consumed_minor').as('consumed'))
    .where('contract_id', '=', contract.contractId)
    .where(
      'period_key',
      'in',
      wanted.map((w) => w.periodKey),
    )
    .groupBy(['cap_id', 'period_key', 'currency']);
  if (excludeDocumentId) query = query.where('document_id', '!=', excludeDocumentId);
  const rows = await query.execute();
  const usage: CapUsage[] = [];
  for (const w of wanted) {
    const row = rows.find(
      (r) => r.cap_id === w.capId && r.period_key === w.periodKey && r.currency === w.currency,
    );
    const consumed = Math.max(0, Number(row?.consumed ?? 0));
    usage.push({
      capId: w.capId,
      periodKey: w.periodKey,
      consumed: { amount: fromMinorUnits(consumed, w.currency), currency: w.currency },
    });
  }
  return usage;
}

/**
 * Books what a document consumed (caps it did not touch get no row). With `replace` (re-pricing) the
 * document's earlier rows go first.
 */
export async function bookCapUsage(
  uow: UnitOfWork,
  documentId: string,
  contractId: string,
  consumption: readonly CapConsumption[],
  options: { replace: boolean },
): Promise<void> {
  if (options.replace)
    await uow.tx.deleteFrom('billing_cap_usage').where('document_id', '=', documentId).execute();
  const now = nowIso();
  const rows = consumption
    .map((c) => ({
      document_id: documentId,
      contract_id: contractId,
      cap_id: c.capId,
      period_key: c.periodKey,
      consumed_minor: toMinorUnits(c.consumedByDocument.amount, c.consumedByDocument.currency),
      currency: c.consumedByDocument.currency,
      created_at: now,
    }))
    .filter((r) => r.consumed_minor !== 0);
  if (rows.length > 0) await uow.tx.insertInto('billing_cap_usage').values(rows).execute();
}

/** The credit note books the negation of everything its original consumed. Returns the rows released. */
export async function releaseCapUsage(
  uow: UnitOfWork,
  originalId: string,
  creditNoteId: string,
): Promise<{ capId: string; periodKey: string; released: { amount: string; currency: string } }[]> {
  const rows = await uow.tx
    .selectFrom('billing_cap_usage')
    .selectAll()
    .where('document_id', '=', originalId)
    .orderBy('cap_id')
    .orderBy('period_key')
    .execute();
  if (rows.length === 0) return [];
  const now = nowIso();
  await uow.tx
    .insertInto('billing_cap_usage')
    .values(
      rows.map((r) => ({
        document_id: creditNoteId,
        contract_id: r.contract_id,
        cap_id: r.cap_id,
        period_key: r.period_key,
        consumed_minor: -Number(r.consumed_minor),
        currency: r.currency,
        created_at: now,
      })),
    )
    .execute();
  return rows.map((r) => ({
    capId: r.cap_id,
    periodKey: r.period_key,
    released: { amount: fromMinorUnits(Number(r.consumed_minor), r.currency), currency: r.currency },
  }));
}

/** Current usage of every cap and period of a contract (for the API and tests). */
export async function contractCapUsage(
  db: Kysely<Database>,
  contractId: string,
): Promise<{ capId: string; periodKey: string; consumed: { amount: string; currency: string } }[]> {
  const rows = await db
    .selectFrom('billing_cap_usage')
    .select(['cap_id', 'period_key', 'currency'])
    .select((eb) => eb.fn.sum<string | number>('consumed_minor').as('consumed'))
    .where('contract_id', '=', contractId)
    .groupBy(['cap_id', 'period_key', 'currency'])
    .orderBy('cap_id')
    .orderBy('period_key')
    .execute();
  return rows.map((r) => ({
    capId: r.cap_id,
    periodKey: r.period_key,
    consumed: { amount: fromMinorUnits(Number(r.consumed), r.currency), currency: r.currency },
  }));
}
