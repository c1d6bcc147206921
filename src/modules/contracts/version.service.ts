import type { Kysely } from 'kysely';
import type { z } from '@hono/zod-openapi';
import type { Database } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { toMinorUnits } from '../../shared/money.js';
import { loadContract, lockContract } from './contract-kit.js';
import { ContractEvents, contractSubject } from './events.js';
import { parseInput } from '../../shared/parse-input.js';
import { dayBefore, overlaps } from './periods.js';
import { checkCoveredRefs, checkPriceListRef, resolveCustomer } from './references.js';
import type { ContractRow, StoredCap } from './repository.js';
import { versionsOf } from './repository.js';
import type { ContractVersion, ContractVersionInput, CoverageTerms } from './version-schemas.js';
import { contractVersionInputSchema, workOrderTypes } from './version-schemas.js';

type ParsedVersion = z.output<typeof contractVersionInputSchema>;

function storedCoverage(input: ParsedVersion): string {
  const coverage: Partial<Record<(typeof workOrderTypes)[number], CoverageTerms>> = {};
  for (const type of workOrderTypes) {
    const terms = input.coverage[type];
    if (!terms) continue;
    coverage[type] = {
      laborCoveredPct: terms.laborCoveredPct,
      partsCoveredPct: terms.partsCoveredPct,
      includedCategories: terms.includedCategories ?? null,
      excludedCategories: terms.excludedCategories,
      travelCovered: terms.travelCovered,
    };
  }
  return JSON.stringify(coverage);
}

/** Checks references, then writes the version and its coverage links. Overlaps are the caller's check. */
export async function insertVersion(
  uow: UnitOfWork,
  contract: ContractRow,
  input: ParsedVersion,
  versionNo: number,
  prefix: string[],
): Promise<string> {
  const customer = await resolveCustomer(uow, contract.customer_id, [...prefix, 'customerId']);
  await checkCoveredRefs(uow, customer, input, prefix);
  if (input.priceListId) {
    await checkPriceListRef(
      uow,
      input.priceListId,
      { customerId: contract.customer_id, currency: contract.currency },
      [...prefix, 'priceListId'],
    );
  }
  const now = nowIso();
  const id = newId();
  const caps: StoredCap[] = input.caps.map((cap) => ({
    kind: cap.kind,
    period: cap.period,
    amount_minor: toMinorUnits(cap.amount, contract.currency),
  }));
  await uow.tx
    .insertInto('contract_versions')
    .values({
      id,
      contract_id: contract.id,
      version_no: versionNo,
      valid_from: input.validFrom,
      valid_to: input.validTo ?? null,
      coverage: storedCoverage(input),
      caps: JSON.stringify(caps),
      price_list_id: input.priceListId ?? null,
      discounts: JSON.stringify(input.discounts),
      sla: input.sla ? JSON.stringify(input.sla) : null,
      recurring_fee_minor: input.recurringFee
        ? toMinorUnits(input.recurringFee.amount, contract.currency)
        : null,
      recurring_fee_period: input.recurringFee?.period ?? null,
      notes: input.notes ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const links = [
    ...input.coveredAssetIds.map((ref) => ({ kind: 'asset', ref })),
    ...input.coveredSiteIds.map((ref) => ({ kind: 'site', ref })),
  ];
  // Chunked so a long asset list stays under SQLite's bound-parameter limit.
  for (let start = 0; start < links.length; start += 200) {
    await uow.tx
      .insertInto('contract_coverage_links')
      .values(
        links
          .slice(start, start + 200)
          .map((l) => ({ contract_version_id: id, contract_id: contract.id, kind: l.kind, ref_id: l.ref })),
      )
      .execute();
  }
  return id;
}

export function parseVersion(raw: ContractVersionInput): ParsedVersion {
  return parseInput(contractVersionInputSchema, raw);
}

/**
 * Resolves overlaps with existing versions: a 409 naming the first overlapping version, unless the caller
 * asked to close the open-ended version that started earlier (the usual amendment), which then ends the
 * day before the new one starts.
 */
async function settleOverlaps(
  db: Kysely<Database>,
  contractId: string,
  input: ParsedVersion,
): Promise<string | null> {
  const existing = await db
    .selectFrom('contract_versions')
    .selectAll()
    .where('contract_id', '=', contractId)
    .orderBy('version_no')
    .execute();
  const clashing = existing.filter((v) =>
    overlaps(
      { validFrom: v.valid_from, validTo: v.valid_to },
      { validFrom: input.validFrom, validTo: input.validTo ?? null },
    ),
  );
  const [first] = clashing;
  if (!first) return null;
  const closable =
    input.closeOpenVersion &&
    clashing.length === 1 &&
    first.valid_to === null &&
    first.valid_from < input.validFrom;
  if (!closable) {
    throw errors.conflict(
      `validity ${input.validFrom}..${input.validTo ?? 'open'} overlaps version ${first.version_no} (${first.valid_from}..${first.valid_to ?? 'open'})`,
      {
        overlappingVersionId: first.id,
        overlappingVersionNo: Number(first.version_no),
        overlappingValidFrom: first.valid_from,
        overlappingValidTo: first.valid_to,
      },
    );
  }
  await db
    .updateTable('contract_versions')
    .set({ valid_to: dayBefore(input.validFrom), updated_at: nowIso() })
    .where('id', '=', first.id)
    .execute();
  return first.id;
}

/** Adds the next version to a draft or active contract; versions of one contract never overlap. */
export async function addContractVersion(
  executor: Executor,
  contractId: string,
  raw: ContractVersionInput,
  expectedVersion?: number,
): Promise<ContractVersion> {
  const input = parseVersion(raw);
  return inTransaction(executor, async (uow) => {
    const contract = await lockContract(uow, contractId, expectedVersion);
    if (contract.status === 'terminated') {
      throw errors.conflict(
        `contract ${contract.number} was terminated on ${contract.terminated_on ?? '?'}; it takes no new versions`,
        {
          contractId,
          status: contract.status,
        },
      );
    }
    const closedVersionId = await settleOverlaps(uow.tx, contractId, input);
    const last = await uow.tx
      .selectFrom('contract_versions')
      .select((eb) => eb.fn.max('version_no').as('n'))
      .where('contract_id', '=', contractId)
      .executeTakeFirst();
    const versionNo = Number(last?.n ?? 0) + 1;
    const id = await insertVersion(uow, contract, input, versionNo, []);
    await uow.tx
      .updateTable('contracts')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: nowIso() }))
      .where('id', '=', contractId)
      .execute();
    const full = await loadContract(uow.tx, contractId);
    const [version] = await versionsOf(
      uow.tx,
      [contract],
      await uow.tx.selectFrom('contract_versions').selectAll().where('id', '=', id).execute(),
    );
    if (!version) throw new Error(`version ${id} vanished inside its own transaction`);
    await uow.emit({
      type: ContractEvents.versionAdded,
      subject: contractSubject(contractId),
      data: { contract: full, version, closedVersionId },
    });
    return version;
  });
}
