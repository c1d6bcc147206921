import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import * as assetsMigration from '../../src/platform/db/migrations/0006_assets.js';
import * as contractsMigration from '../../src/platform/db/migrations/0007_contracts.js';
import { describeEachEngine } from '../support/test-database.js';

const ours = [
  'asset_meter_readings',
  'asset_moves',
  'asset_status_changes',
  'assets',
  'contract_coverage_links',
  'contract_versions',
  'contracts',
  'price_list_lines',
  'price_lists',
];

describeEachEngine('migrations 0006_assets and 0007_contracts', (db) => {
  it('down removes exactly their tables and up brings them back', async () => {
    const raw = db().db as unknown as Kysely<unknown>;
    const tables = async () => (await raw.introspection.getTables()).map((t) => t.name).sort();
    const all = await tables();
    expect(all).toEqual(expect.arrayContaining(ours));
    await contractsMigration.down(raw);
    await assetsMigration.down(raw);
    expect(await tables()).toEqual(all.filter((t) => !ours.includes(t)));
    await assetsMigration.up(raw);
    await contractsMigration.up(raw);
    expect(await tables()).toEqual(all);
  });
});
