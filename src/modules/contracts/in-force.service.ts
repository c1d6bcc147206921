import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import { getAsset } from '../assets/index.js';
import type { CoveringContract, CoveringQuery } from './contract-schemas.js';
import { isoDatePattern } from './periods.js';
import { orNull, unresolved } from './references.js';
import type { ContractRow } from './repository.js';
import { findContractRow, hydrateContracts, versionRowsInForce, versionsOf } from './repository.js';
import type { ContractVersion } from './version-schemas.js';

function assertDate(onDate: string, field: string): void {
  if (!isoDatePattern.test(onDate) || Number.isNaN(Date.parse(`${onDate}T00:00:00Z`))) {
    throw errors.validation(`${field} must be a date YYYY-MM-DD`, [
      { path: [field], message: 'expected YYYY-MM-DD' },
    ]);
  }
}

/** A draft is not in force yet; a terminated contract is in force up to and including its termination day. */
function inForceOn(row: Pick<ContractRow, 'status' | 'terminated_on'>, onDate: string): boolean {
  if (row.status === 'active') return true;
  return row.status === 'terminated' && row.terminated_on !== null && onDate <= row.terminated_on;
}

/**
 * The version whose validity contains `onDate`, or null when none does, the contract is still a draft, or
 * it was terminated before that day. Versions never overlap, so there is at most one.
 */
export async function getContractVersionInForce(
  executor: Executor,
  contractId: string,
  onDate: string,
): Promise<ContractVersion | null> {
  assertDate(onDate, 'date');
  const db = queryable(executor);
  const row = await findContractRow(db, contractId);
  if (!row) throw errors.notFound('contract', contractId);
  if (!inForceOn(row, onDate)) return null;
  const [version] = await versionsOf(db, [row], await versionRowsInForce(db, [row.id], onDate));
  return version ?? null;
}

const rank = { asset: 0, site: 1, customer: 2 } as const;

async function siteOfAsset(executor: Executor, assetId: string): Promise<string> {
  const asset = await orNull(() => getAsset(executor, assetId));
  if (!asset) throw unresolved(['assetId'], `asset ${assetId} does not exist`, { assetId });
  return asset.siteId;
}

async function contractsInForce(
  db: Kysely<Database>,
  customerId: string,
  onDate: string,
): Promise<ContractRow[]> {
  const rows = await db
    .selectFrom('contracts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('status', 'in', ['active', 'terminated'])
    .orderBy('number')
    .execute();
  return rows.filter((row) => inForceOn(row, onDate));
}

/**
 * Contracts of the customer in force on `onDate` that cover the asset or site. A version covers what it
 * lists (assets, sites; an asset is also covered through its current site) and, when it lists nothing,
 * everything of the customer. Most specific match first: asset, then site, then customer-wide. Without
 * assetId and siteId every contract in force is returned (matchedBy "customer").
 */
export async function findContractsCovering(
  executor: Executor,
  query: CoveringQuery,
): Promise<CoveringContract[]> {
  assertDate(query.onDate, 'date');
  const db = queryable(executor);
  const siteId = query.siteId ?? (query.assetId ? await siteOfAsset(executor, query.assetId) : undefined);
  const rows = await contractsInForce(db, query.customerId, query.onDate);
  const versionRows = await versionRowsInForce(
    db,
    rows.map((r) => r.id),
    query.onDate,
  );
  // Decide matches from the few links that name this asset or site, then hydrate only the matching
  // contracts: a customer may have many contracts listing thousands of assets.
  const hits = await matchingLinks(
    db,
    versionRows.map((v) => v.id),
    query.assetId,
    siteId,
  );
  const matched = new Map<string, CoveringContract['matchedBy']>();
  for (const version of versionRows) {
    const links = hits.get(version.id);
    let matchedBy: CoveringContract['matchedBy'] | null = null;
    if (links?.asset) matchedBy = 'asset';
    else if (links?.site) matchedBy = 'site';
    else if (!links?.any || (!query.assetId && !siteId)) matchedBy = 'customer';
    if (matchedBy) matched.set(version.id, matchedBy);
  }
  const contracts = await hydrateContracts(
    db,
    rows.filter((row) => versionRows.some((v) => v.contract_id === row.id && matched.has(v.id))),
  );
  const found: CoveringContract[] = [];
  for (const contract of contracts) {
    for (const version of contract.versions) {
      const matchedBy = matched.get(version.id);
      if (matchedBy) found.push({ contract, version, matchedBy });
    }
  }
  return found.sort(
    (a, b) => rank[a.matchedBy] - rank[b.matchedBy] || a.contract.number.localeCompare(b.contract.number),
  );
}

/** Per version: whether it lists any asset or site at all, and whether it lists this asset / this site. */
async function matchingLinks(
  db: Kysely<Database>,
  versionIds: string[],
  assetId: string | undefined,
  siteId: string | undefined,
): Promise<Map<string, { any: boolean; asset: boolean; site: boolean }>> {
  const out = new Map<string, { any: boolean; asset: boolean; site: boolean }>();
  if (versionIds.length === 0) return out;
  const listing = await db
    .selectFrom('contract_coverage_links')
    .select('contract_version_id')
    .distinct()
    .where('contract_version_id', 'in', versionIds)
    .execute();
  for (const row of listing) out.set(row.contract_version_id, { any: true, asset: false, site: false });
  const wanted = [
    ...(assetId ? [{ kind: 'asset', ref: assetId }] : []),
    ...(siteId ? [{ kind: 'site', ref: siteId }] : []),
  ];
  if (wanted.length === 0) return out;
  const hits = await db
    .selectFrom('contract_coverage_links')
    .select(['contract_version_id', 'kind'])
    .where('contract_version_id', 'in', versionIds)
    .where((eb) => eb.or(wanted.map((w) => eb.and([eb('kind', '=', w.kind), eb('ref_id', '=', w.ref)]))))
    .execute();
  for (const hit of hits) {
    const entry = out.get(hit.contract_version_id);
    if (!entry) continue;
    if (hit.kind === 'asset') entry.asset = true;
    else entry.site = true;
  }
  return out;
}
