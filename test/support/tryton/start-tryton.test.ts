import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTemplate, startTryton, trytonSkipReason, xmlId } from './index.js';

const skip = trytonSkipReason();

describe.skipIf(skip !== undefined)(`Tryton test harness ${skip ?? ''}`, () => {
  // A cold build takes 20-60 s: do it under the hook timeout, not a test's.
  beforeAll(async () => {
    await ensureTemplate();
  });

  it('starts isolated servers side by side, each on its own copy of the template', async () => {
    const [a, b] = await Promise.all([startTryton(), startTryton({ dbName: 'harness_b' })]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(b.database).toBe('harness_b');
      const clientA = a.client();
      const clientB = b.client();
      await clientA.create('party.party', [{ name: 'Only in A' }]);
      expect(await clientA.searchCount('party.party', [['name', '=', 'Only in A']])).toBe(1);
      expect(await clientB.searchCount('party.party', [['name', '=', 'Only in A']])).toBe(0);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(existsSync(a.dir)).toBe(false);
    expect(existsSync(b.dir)).toBe(false);
  });

  it('records setup ids that match the database', async () => {
    const tryton = await startTryton();
    try {
      const { setup } = tryton;
      const client = tryton.client();
      expect((await client.context()).company).toBe(setup.company.id);
      expect(await xmlId(client, 'stock', 'location_storage')).toBe(setup.locations.storage);
      const [category] = await client.read<{ accounting: boolean; account_revenue: number }>(
        'product.category',
        [setup.accountCategoryId],
        ['accounting', 'account_revenue'],
      );
      expect(category).toMatchObject({ accounting: true, account_revenue: setup.accounts.revenue });
      const year = new Date().getUTCFullYear();
      expect(setup.fiscalYears.map((fy) => fy.year)).toEqual([year, year + 1]);
      const periods = await client.searchCount('account.period', [
        ['fiscalyear', '=', setup.fiscalYears[1]!.id],
      ]);
      expect(periods).toBe(12);
      const [eur] = await client.read<{ code: string; rate: string }>(
        'currency.currency',
        [setup.currencies.EUR],
        ['code', 'rate'],
      );
      expect(eur).toMatchObject({ code: 'EUR', rate: '1' });
      const costCenters = await client.read<{ type: string; root: number }>(
        'analytic_account.account',
        Object.values(setup.analytic.costCenters),
        ['type', 'root'],
      );
      expect(costCenters.map((account) => account.root)).toEqual([
        setup.analytic.rootId,
        setup.analytic.rootId,
      ]);
    } finally {
      await tryton.stop();
    }
  });

  it('posts a customer invoice on the template (chart, fiscal year, sequences are complete)', async () => {
    const tryton = await startTryton();
    try {
      const { setup } = tryton;
      const client = tryton.client();
      const [party] = await client.create('party.party', [
        { name: 'Invoice Customer', addresses: [['create', [{ street: '1 Main St' }]]] },
      ]);
      const [address] = (
        await client.read<{ addresses: number[] }>('party.party', [party!], ['addresses'])
      )[0]!.addresses;
      const [invoice] = await client.create('account.invoice', [
        {
          type: 'out',
          party,
          invoice_address: address,
          company: setup.company.id,
          currency: setup.company.currencyId,
          account: setup.accounts.receivable,
          journal: setup.journals.revenue,
          payment_term: setup.paymentTermId,
          reference: 'FS-HARNESS-1',
          lines: [
            [
              'create',
              [
                {
                  type: 'line',
                  quantity: 2,
                  unit_price: '80.00',
                  account: setup.accounts.revenue,
                  description: 'Labor',
                },
              ],
            ],
          ],
        },
      ]);
      await client.execute('account.invoice', 'post', [invoice!]);
      const [posted] = await client.read<{ state: string; number: string; total_amount: string }>(
        'account.invoice',
        [invoice!],
        ['state', 'number', 'total_amount'],
      );
      expect(posted).toMatchObject({ state: 'posted', total_amount: '160.00' });
      expect(posted!.number).toMatch(/^INV\d{4}-\d{5}$/);
    } finally {
      await tryton.stop();
    }
  });

  it('restart keeps the data; the template is reused from the cache', async () => {
    const tryton = await startTryton();
    try {
      const client = tryton.client();
      await client.create('party.party', [{ name: 'Survives restart' }]);
      await tryton.restart({ downMs: 100 });
      expect(await client.searchCount('party.party', [['name', '=', 'Survives restart']])).toBe(1);
      const template = await ensureTemplate();
      expect(template.buildMs).toBe(0);
    } finally {
      await tryton.stop();
    }
  });
});
