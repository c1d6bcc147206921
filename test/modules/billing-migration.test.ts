import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import * as billingMigration from '../../src/platform/db/migrations/0012_billing.js';
import { describeEachEngine } from '../support/test-database.js';

const ours = ['billing_cap_usage', 'billing_counters', 'billing_documents', 'billing_lines'];

describeEachEngine('migration 0012_billing', (db) => {
  it('down removes exactly its tables and up brings them back', async () => {
    const raw = db().db as unknown as Kysely<unknown>;
    const tables = async () => (await raw.introspection.getTables()).map((t) => t.name).sort();
    const all = await tables();
    expect(all).toEqual(expect.arrayContaining(ours));
    await billingMigration.down(raw);
    expect(await tables()).toEqual(all.filter((t) => !ours.includes(t)));
    await billingMigration.up(raw);
    expect(await tables()).toEqual(all);
  });
});
