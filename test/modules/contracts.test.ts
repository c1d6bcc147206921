import { describe, expect, it } from 'vitest';
import { createAsset } from '../../src/modules/assets/index.js';
import type { ContractVersion, ContractVersionInput } from '../../src/modules/contracts/index.js';
import {
  activateContract,
  addContractVersion,
  categoryCovered,
  coverageFor,
  createContract,
  findContractsCovering,
  getContract,
  getContractVersionInForce,
  slaFor,
  terminateContract,
  updateContract,
} from '../../src/modules/contracts/index.js';
import { createCustomer } from '../../src/modules/customers/index.js';
import { createItem } from '../../src/modules/items/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { inTransaction, readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;
function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('expected a value');
  return value;
}
const site = (name: string) => ({ name, line1: `${name} street 1`, city: 'Gent', country: 'BE' });

async function world(db: Db) {
  const customer = await createCustomer(db, {
    name: uniq('Acme'),
    currency: 'EUR',
    sites: [site('Plant A'), site('Plant B')],
  });
  const other = await createCustomer(db, { name: uniq('Other'), sites: [site('Elsewhere')] });
  const item = await createItem(db, {
    sku: uniq('CMP'),
    name: 'Compressor',
    category: 'compressors',
    listPrice: '5000',
  });
  const siteA = must(customer.sites[0]).id;
  const siteB = must(customer.sites[1]).id;
  const asset = await createAsset(db, {
    serialNumber: uniq('SN'),
    itemId: item.id,
    customerId: customer.id,
    siteId: siteA,
  });
  const assetB = await createAsset(db, {
    serialNumber: uniq('SN'),
    itemId: item.id,
    customerId: customer.id,
    siteId: siteB,
  });
  const otherSite = must(other.sites[0]).id;
  const foreignAsset = await createAsset(db, {
    serialNumber: uniq('SN'),
    itemId: item.id,
    customerId: other.id,
    siteId: otherSite,
  });
  return {
    customerId: customer.id,
    siteA,
    siteB,
    otherCustomerId: other.id,
    otherSite,
    assetId: asset.id,
    assetB: assetB.id,
    foreignAssetId: foreignAsset.id,
  };
}

const tables = ['contracts', 'contract_versions', 'contract_coverage_links', 'outbox_events'] as const;
async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
async function expectNothingWritten(
  db: Db,
  action: () => Promise<unknown>,
  expected: Record<string, unknown>,
) {
  const before = await counts(db);
  await expect(action()).rejects.toMatchObject(expected);
  expect(await counts(db)).toEqual(before);
}

const fullTerms: ContractVersionInput = {
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  coverage: {
    preventive: { laborCoveredPct: '100', partsCoveredPct: '100.00', travelCovered: true },
    corrective: {
      laborCoveredPct: '50',
      partsCoveredPct: '80',
      includedCategories: ['filters', 'belts'],
      excludedCategories: ['consumables'],
    },
  },
  caps: [
    { kind: 'parts', amount: '2500', period: 'year' },
    { kind: 'total', amount: '10000.5', period: 'contract' },
  ],
  discounts: { partsPct: '10', laborPct: '5.25' },
  sla: {
    responseHours: 8,
    resolutionHours: 48,
    byPriority: { urgent: { responseHours: 2, resolutionHours: 8 } },
  },
  recurringFee: { amount: '1200', period: 'quarterly' },
};

describeEachEngine('contracts: versions and lookups', (db) => {
  it('creates a draft contract with version 1 in one write; currency defaults to the customer’s', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, {
      number: uniq('C'),
      customerId: w.customerId,
      title: 'Full service',
      initialVersion: { ...fullTerms, coveredAssetIds: [w.assetId], coveredSiteIds: [w.siteB] },
    });
    expect(contract).toMatchObject({
      status: 'draft',
      currency: 'EUR',
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      version: 1,
    });
    const version = must(contract.versions[0]);
    expect(version).toMatchObject({
      versionNo: 1,
      contractNumber: contract.number,
      customerId: w.customerId,
      coveredAssetIds: [w.assetId],
      coveredSiteIds: [w.siteB],
      discounts: { partsPct: '10', laborPct: '5.25' },
      recurringFee: { amount: '1200.00', currency: 'EUR', period: 'quarterly' },
      priceListId: null,
    });
    expect(version.coverage.preventive).toEqual({
      laborCoveredPct: '100',
      partsCoveredPct: '100',
      includedCategories: null,
      excludedCategories: [],
      travelCovered: true,
    });
    expect(version.coverage.inspection).toBeUndefined();
    expect(version.caps).toEqual([
      { id: 'parts-year', kind: 'parts', amount: '2500.00', currency: 'EUR', period: 'year' },
      { id: 'total-contract', kind: 'total', amount: '10000.50', currency: 'EUR', period: 'contract' },
    ]);
    const events = await readEvents(db().db, { subject: `contract/${contract.id}` });
    expect(events.map((e) => e.type)).toEqual(['contract.created']);
    expect(events[0]?.data).toEqual({ contract });
  });

  it('bad input: a duplicate contract number → 409 naming the holder, nothing written', async () => {
    const w = await world(db().db);
    const number = uniq('C');
    const first = await createContract(db().db, { number, customerId: w.customerId });
    await expectNothingWritten(db().db, () => createContract(db().db, { number, customerId: w.customerId }), {
      code: 'conflict',
      details: { conflictingId: first.id },
    });
  });

  it('bad input: validity to before from → 400 (on create and on a new version), nothing written', async () => {
    const w = await world(db().db);
    const wrong = { validFrom: '2025-06-01', validTo: '2025-05-31' };
    await expectNothingWritten(
      db().db,
      () => createContract(db().db, { number: uniq('C'), customerId: w.customerId, initialVersion: wrong }),
      {
        code: 'validation',
        issues: [{ path: ['initialVersion', 'validTo'] }],
      },
    );
    const contract = await createContract(db().db, { number: uniq('C'), customerId: w.customerId });
    await expectNothingWritten(db().db, () => addContractVersion(db().db, contract.id, wrong), {
      code: 'validation',
      issues: [{ path: ['validTo'] }],
    });
  });

  it('bad input: overlapping contract versions → 409 naming the overlapping version, nothing written', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, {
      number: uniq('C'),
      customerId: w.customerId,
      initialVersion: { validFrom: '2025-01-01', validTo: '2025-12-31' },
    });
    const v2 = await addContractVersion(db().db, contract.id, {
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      coveredAssetIds: [w.assetId],
    });
    expect(v2.versionNo).toBe(2);
    await expectNothingWritten(
      db().db,
      () =>
        addContractVersion(db().db, contract.id, { validFrom: '2026-12-31', coveredAssetIds: [w.assetB] }),
      {
        code: 'conflict',
        details: {
          overlappingVersionId: v2.id,
          overlappingVersionNo: 2,
          overlappingValidFrom: '2026-01-01',
          overlappingValidTo: '2026-12-31',
        },
      },
    );
    await expectNothingWritten(
      db().db,
      () => addContractVersion(db().db, contract.id, { validFrom: '2024-06-01', validTo: '2025-01-01' }),
      {
        code: 'conflict',
        details: { overlappingVersionNo: 1 },
      },
    );
    const added = await addContractVersion(db().db, contract.id, {
      validFrom: '2024-01-01',
      validTo: '2024-12-31',
    });
    expect(added.versionNo).toBe(3);
  });

  it('closeOpenVersion ends the open-ended version the day before the amendment starts', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, {
      number: uniq('C'),
      customerId: w.customerId,
      initialVersion: { validFrom: '2025-01-01' },
    });
    await expectNothingWritten(
      db().db,
      () => addContractVersion(db().db, contract.id, { validFrom: '2025-07-01' }),
      { code: 'conflict' },
    );
    const v2 = await addContractVersion(db().db, contract.id, {
      validFrom: '2025-07-01',
      closeOpenVersion: true,
    });
    const now = await getContract(db().db, contract.id);
    expect(now.versions.map((v) => [v.versionNo, v.validFrom, v.validTo])).toEqual([
      [1, '2025-01-01', '2025-06-30'],
      [2, '2025-07-01', null],
    ]);
    const [event] = await readEvents(db().db, {
      subject: `contract/${contract.id}`,
      types: ['contract.version.added'],
    });
    expect(event?.data).toMatchObject({ version: v2, closedVersionId: must(contract.versions[0]).id });
  });

  it('the version in force on a date: none while draft, inclusive bounds, none after termination', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, {
      number: uniq('C'),
      customerId: w.customerId,
      initialVersion: { validFrom: '2025-01-01', validTo: '2025-06-30' },
    });
    await addContractVersion(db().db, contract.id, { validFrom: '2025-07-01', validTo: null });
    expect(await getContractVersionInForce(db().db, contract.id, '2025-03-01')).toBeNull();
    await activateContract(db().db, contract.id);
    const at = async (day: string) =>
      (await getContractVersionInForce(db().db, contract.id, day))?.versionNo ?? null;
    expect(await at('2024-12-31')).toBeNull();
    expect(await at('2025-01-01')).toBe(1);
    expect(await at('2025-06-30')).toBe(1);
    expect(await at('2025-07-01')).toBe(2);
    expect(await at('2031-01-01')).toBe(2);
    await terminateContract(db().db, contract.id, { terminatedOn: '2026-03-31', reason: 'customer left' });
    expect(await at('2026-03-31')).toBe(2);
    expect(await at('2026-04-01')).toBeNull();
    await expect(getContractVersionInForce(db().db, 'no-such-contract', '2025-01-01')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('bad input: terminating before the contract starts → 400; terminating twice or amending a terminated contract → 409', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, {
      number: uniq('C'),
      customerId: w.customerId,
      initialVersion: { validFrom: '2025-01-01' },
    });
    await expectNothingWritten(
      db().db,
      () => terminateContract(db().db, contract.id, { terminatedOn: '2024-12-31', reason: 'typo' }),
      {
        code: 'validation',
        issues: [{ path: ['terminatedOn'] }],
      },
    );
    const terminated = await terminateContract(db().db, contract.id, {
      terminatedOn: '2025-12-31',
      reason: 'not renewed',
    });
    expect(terminated).toMatchObject({
      status: 'terminated',
      terminatedOn: '2025-12-31',
      endDate: '2025-12-31',
    });
    expect(
      await readEvents(db().db, { subject: `contract/${contract.id}`, types: ['contract.terminated'] }),
    ).toHaveLength(1);
    await expectNothingWritten(
      db().db,
      () => terminateContract(db().db, contract.id, { terminatedOn: '2025-12-31', reason: 'again' }),
      {
        code: 'conflict',
        details: { allowedTransitions: [] },
      },
    );
    await expectNothingWritten(
      db().db,
      () => addContractVersion(db().db, contract.id, { validFrom: '2027-01-01' }),
      { code: 'conflict' },
    );
  });

  it('bad input: activating a contract without versions → 409', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, { number: uniq('C'), customerId: w.customerId });
    await expectNothingWritten(db().db, () => activateContract(db().db, contract.id), { code: 'conflict' });
  });

  it('bad input: covering another customer’s asset or site, or an unknown customer → 422 naming the path', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, { number: uniq('C'), customerId: w.customerId });
    await expectNothingWritten(
      db().db,
      () =>
        addContractVersion(db().db, contract.id, {
          validFrom: '2025-01-01',
          coveredAssetIds: [w.assetId, w.foreignAssetId],
        }),
      {
        code: 'unprocessable',
        issues: [{ path: ['coveredAssetIds', 1] }],
      },
    );
    await expectNothingWritten(
      db().db,
      () =>
        addContractVersion(db().db, contract.id, { validFrom: '2025-01-01', coveredSiteIds: [w.otherSite] }),
      {
        code: 'unprocessable',
        issues: [{ path: ['coveredSiteIds', 0] }],
      },
    );
    await expectNothingWritten(
      db().db,
      () => createContract(db().db, { number: uniq('C'), customerId: 'nobody' }),
      {
        code: 'unprocessable',
        issues: [{ path: ['customerId'] }],
      },
    );
  });

  it('bad input: percentages above 100, contradictory categories, a cap given twice, SLA resolution before response → 400', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, { number: uniq('C'), customerId: w.customerId });
    const bad: [ContractVersionInput, (string | number)[]][] = [
      [
        {
          validFrom: '2025-01-01',
          coverage: { corrective: { laborCoveredPct: '100.5', partsCoveredPct: '0' } },
        },
        ['coverage', 'corrective', 'laborCoveredPct'],
      ],
      [{ validFrom: '2025-01-01', discounts: { partsPct: '-1' } }, ['discounts', 'partsPct']],
      [
        {
          validFrom: '2025-01-01',
          coverage: {
            preventive: {
              laborCoveredPct: '1',
              partsCoveredPct: '1',
              includedCategories: ['a'],
              excludedCategories: ['a'],
            },
          },
        },
        ['coverage', 'preventive', 'excludedCategories'],
      ],
      [
        {
          validFrom: '2025-01-01',
          caps: [
            { kind: 'labor', amount: '1', period: 'month' },
            { kind: 'labor', amount: '2', period: 'month' },
          ],
        },
        ['caps', 1],
      ],
      [
        { validFrom: '2025-01-01', sla: { responseHours: 10, resolutionHours: 4 } },
        ['sla', 'resolutionHours'],
      ],
    ];
    for (const [input, path] of bad) {
      await expectNothingWritten(db().db, () => addContractVersion(db().db, contract.id, input), {
        code: 'validation',
        issues: [{ path }],
      });
    }
  });

  it('finds the contracts covering an asset: by asset, through its site, customer-wide; drafts and other customers excluded', async () => {
    const w = await world(db().db);
    const make = async (terms: Partial<ContractVersionInput>, activate = true) => {
      const c = await createContract(db().db, {
        number: uniq('C'),
        customerId: w.customerId,
        initialVersion: { validFrom: '2025-01-01', ...terms },
      });
      if (activate) await activateContract(db().db, c.id);
      return c;
    };
    const byAsset = await make({ coveredAssetIds: [w.assetId] });
    const bySite = await make({ coveredSiteIds: [w.siteA] });
    const blanket = await make({});
    await make({ coveredAssetIds: [w.assetId] }, false);
    const otherSite = await make({ coveredSiteIds: [w.siteB] });
    const found = await findContractsCovering(db().db, {
      customerId: w.customerId,
      assetId: w.assetId,
      onDate: '2025-05-01',
    });
    expect(found.map((f) => [f.contract.id, f.matchedBy])).toEqual([
      [byAsset.id, 'asset'],
      [bySite.id, 'site'],
      [blanket.id, 'customer'],
    ]);
    const forSiteB = await findContractsCovering(db().db, {
      customerId: w.customerId,
      siteId: w.siteB,
      onDate: '2025-05-01',
    });
    expect(forSiteB.map((f) => f.contract.id)).toEqual([otherSite.id, blanket.id]);
    expect(
      await findContractsCovering(db().db, {
        customerId: w.customerId,
        assetId: w.assetId,
        onDate: '2024-05-01',
      }),
    ).toEqual([]);
    expect(
      await findContractsCovering(db().db, { customerId: w.otherCustomerId, onDate: '2025-05-01' }),
    ).toEqual([]);
    await expect(
      findContractsCovering(db().db, { customerId: w.customerId, assetId: 'ghost', onDate: '2025-05-01' }),
    ).rejects.toMatchObject({
      code: 'unprocessable',
    });
  });

  it('updates descriptive fields with contract.updated; a failing caller transaction leaves nothing', async () => {
    const w = await world(db().db);
    const contract = await createContract(db().db, { number: uniq('C'), customerId: w.customerId });
    const updated = await updateContract(db().db, contract.id, { title: 'Gold' }, 1);
    expect(updated).toMatchObject({ title: 'Gold', version: 2 });
    const [, event] = await readEvents(db().db, { subject: `contract/${contract.id}` });
    expect(event).toMatchObject({ type: 'contract.updated', data: { changedFields: ['title'] } });
    await expectNothingWritten(db().db, () => updateContract(db().db, contract.id, { title: 'Stale' }, 1), {
      code: 'precondition_failed',
    });
    await expectNothingWritten(
      db().db,
      () =>
        inTransaction(db().db, async (uow) => {
          await createContract(uow, {
            number: uniq('C'),
            customerId: w.customerId,
            initialVersion: { validFrom: '2025-01-01', coveredAssetIds: [w.assetId] },
          });
          throw new Error('rolled back by the caller');
        }),
      { message: 'rolled back by the caller' },
    );
  });
});

describe('contracts: term readers', () => {
  const version = {
    coverage: {
      corrective: {
        laborCoveredPct: '50',
        partsCoveredPct: '80',
        includedCategories: ['filters'],
        excludedCategories: ['oil'],
        travelCovered: false,
      },
    },
    sla: {
      responseHours: 8,
      resolutionHours: 48,
      byPriority: { urgent: { responseHours: 2, resolutionHours: 8 } },
    },
  } as unknown as ContractVersion;

  it('coverageFor, slaFor and categoryCovered apply the documented fallbacks', () => {
    expect(coverageFor(version, 'preventive')).toBeNull();
    const terms = must(coverageFor(version, 'corrective'));
    expect(categoryCovered(terms, 'filters')).toBe(true);
    expect(categoryCovered(terms, 'belts')).toBe(false);
    expect(categoryCovered({ ...terms, includedCategories: null }, 'belts')).toBe(true);
    expect(categoryCovered({ ...terms, includedCategories: null }, 'oil')).toBe(false);
    expect(slaFor(version, 'urgent')).toEqual({ responseHours: 2, resolutionHours: 8 });
    expect(slaFor(version, 'low')).toEqual({ responseHours: 8, resolutionHours: 48 });
    expect(slaFor({ ...version, sla: null }, 'low')).toBeNull();
  });
});
