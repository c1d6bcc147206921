import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { fromMinorUnits } from '../../shared/money.js';
import type { Contract, ContractListFilter, ContractStatus } from './contract-schemas.js';
import type { ContractsTable, ContractVersionsTable } from './tables.js';
import type { ContractCap, ContractVersion } from './version-schemas.js';
import { billingPeriods, capKinds, capPeriods } from './version-schemas.js';

export type ContractRow = Selectable<ContractsTable>;
export type VersionRow = Selectable<ContractVersionsTable>;
type Header = Pick<ContractRow, 'id' | 'number' | 'customer_id' | 'currency'>;
interface Links {
  assets: string[];
  sites: string[];
}

/** Caps are stored in minor units of the contract currency. */
export interface StoredCap {
  kind: ContractCap['kind'];
  period: ContractCap['period'];
  amount_minor: number;
}

function oneOf<T extends string>(values: readonly T[], value: string, what: string): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new Error(`stored ${what} is not one we know: ${value}`);
}

export function versionFromRow(row: VersionRow, header: Header, links: Links): ContractVersion {
  const caps = (JSON.parse(row.caps) as StoredCap[]).map((cap) => ({
    id: `${cap.kind}-${cap.period}`,
    kind: oneOf(capKinds, cap.kind, 'cap kind'),
    amount: fromMinorUnits(cap.amount_minor, header.currency),
    currency: header.currency,
    period: oneOf(capPeriods, cap.period, 'cap period'),
  }));
  const fee =
    row.recurring_fee_minor !== null && row.recurring_fee_period !== null
      ? {
          amount: fromMinorUnits(row.recurring_fee_minor, header.currency),
          currency: header.currency,
          period: oneOf(billingPeriods, row.recurring_fee_period, 'billing period'),
        }
      : null;
  return {
    id: row.id,
    contractId: header.id,
    contractNumber: header.number,
    customerId: header.customer_id,
    currency: header.currency,
    versionNo: Number(row.version_no),
    validFrom: row.valid_from,
    validTo: row.valid_to,
    coveredAssetIds: links.assets,
    coveredSiteIds: links.sites,
    coverage: JSON.parse(row.coverage) as ContractVersion['coverage'],
    caps,
    priceListId: row.price_list_id,
    discounts: JSON.parse(row.discounts) as ContractVersion['discounts'],
    sla: row.sla === null ? null : (JSON.parse(row.sla) as ContractVersion['sla']),
    recurringFee: fee,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Loads the coverage links of many versions in one query, grouped by version. */
export async function linksByVersion(
  db: Kysely<Database>,
  versionIds: string[],
): Promise<Map<string, Links>> {
  const out = new Map<string, Links>(versionIds.map((id) => [id, { assets: [], sites: [] }]));
  if (versionIds.length === 0) return out;
  const rows = await db
    .selectFrom('contract_coverage_links')
    .selectAll()
    .where('contract_version_id', 'in', versionIds)
    .orderBy('ref_id')
    .execute();
  for (const row of rows) {
    const links = out.get(row.contract_version_id);
    if (!links) continue;
    (row.kind === 'asset' ? links.assets : links.sites).push(row.ref_id);
  }
  return out;
}

export async function versionsOf(db: Kysely<Database>, headers: Header[], versionRows?: VersionRow[]) {
  const ids = headers.map((h) => h.id);
  const rows =
    versionRows ??
    (ids.length === 0
      ? []
      : await db
          .selectFrom('contract_versions')
          .selectAll()
          .where('contract_id', 'in', ids)
          .orderBy('version_no')
          .execute());
  const links = await linksByVersion(
    db,
    rows.map((r) => r.id),
  );
  const byId = new Map(headers.map((h) => [h.id, h]));
  return rows.flatMap((row) => {
    const header = byId.get(row.contract_id);
    return header ? [versionFromRow(row, header, links.get(row.id) ?? { assets: [], sites: [] })] : [];
  });
}

function contractFromRow(row: ContractRow, versions: ContractVersion[]): Contract {
  const starts = versions.map((v) => v.validFrom).sort();
  const open = versions.some((v) => v.validTo === null);
  const ends = versions.flatMap((v) => (v.validTo === null ? [] : [v.validTo])).sort();
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    status: oneOf<ContractStatus>(['draft', 'active', 'terminated'], row.status, 'contract status'),
    currency: row.currency,
    title: row.title,
    notes: row.notes,
    startDate: starts[0] ?? null,
    endDate: row.terminated_on ?? (open || ends.length === 0 ? null : (ends[ends.length - 1] ?? null)),
    terminatedOn: row.terminated_on,
    terminationReason: row.termination_reason,
    versions,
    externalRefs: JSON.parse(row.external_refs) as Record<string, string>,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Contracts with their versions and coverage links, in three queries whatever the page size. */
export async function hydrateContracts(db: Kysely<Database>, rows: ContractRow[]): Promise<Contract[]> {
  const versions = await versionsOf(db, rows);
  return rows.map((row) =>
    contractFromRow(
      row,
      versions.filter((v) => v.contractId === row.id),
    ),
  );
}

export function findContractRow(db: Kysely<Database>, id: string): Promise<ContractRow | undefined> {
  return db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findContractByNumber(db: Kysely<Database>, number: string): Promise<ContractRow | undefined> {
  return db.selectFrom('contracts').selectAll().where('number', '=', number).executeTakeFirst();
}

export function listContractRows(
  db: Kysely<Database>,
  filter: ContractListFilter,
  page: { limit: number; afterId?: string },
): Promise<ContractRow[]> {
  let query = db
    .selectFrom('contracts')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.number) query = query.where('number', '=', filter.number);
  if (filter.updatedSince)
    query = query.where('updated_at', '>=', new Date(filter.updatedSince).toISOString());
  return query.execute();
}

/** Versions whose validity contains `onDate` (inclusive at both ends; open-ended when valid_to is null). */
export function versionRowsInForce(
  db: Kysely<Database>,
  contractIds: string[],
  onDate: string,
): Promise<VersionRow[]> {
  if (contractIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('contract_versions')
    .selectAll()
    .where('contract_id', 'in', contractIds)
    .where('valid_from', '<=', onDate)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', onDate)]))
    .orderBy('contract_id')
    .execute();
}
