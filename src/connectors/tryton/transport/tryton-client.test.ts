import { setTimeout as sleep } from 'node:timers/promises';
import { Decimal } from 'decimal.js';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startBlackHole,
  startCountingProxy,
  startTryton,
  trytonSkipReason,
} from '../../../../test/support/tryton/index.js';
import type { CountingProxy, TrytonHandle } from '../../../../test/support/tryton/index.js';
import { ConnectorError } from '../../sdk/connector-error.js';
import type { TrytonClient } from './index.js';
import { searchReadPages, trytonDateTime, trytonDecimal, userWarningName } from './index.js';

const skip = trytonSkipReason();

/** Runs `fn` and returns the ConnectorError it must throw. */
async function failure(fn: () => Promise<unknown>): Promise<ConnectorError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError, the call succeeded');
}

describe.skipIf(skip !== undefined)(`TrytonClient against a real trytond ${skip ?? ''}`, () => {
  let tryton: TrytonHandle;
  let client: TrytonClient;

  beforeAll(async () => {
    tryton = await startTryton();
    client = tryton.client();
  });
  afterAll(async () => {
    await tryton?.stop();
  });

  async function newGoods(code: string): Promise<number> {
    const [template] = await client.create('product.template', [
      {
        name: `Goods ${code}`,
        type: 'goods',
        default_uom: tryton.setup.uom.unit,
        list_price: '10.00',
        account_category: tryton.setup.accountCategoryId,
        products: [['create', [{ suffix_code: code }]]],
      },
    ]);
    const [row] = await client.read<{ products: number[] }>('product.template', [template!], ['products']);
    return row!.products[0]!;
  }

  it('logs in and carries the company in the context', async () => {
    const session = await client.login();
    expect(session.userId).toBe(tryton.setup.adminUserId);
    expect(session.header).toMatch(/^Session [A-Za-z0-9+/=]+$/);
    const context = await client.context();
    expect(context.company).toBe(tryton.setup.company.id);
  });

  it('classifies a bad password as auth', async () => {
    const bad = tryton.client({ password: 'wrong-password' });
    const error = await failure(() => bad.login());
    expect(error.errorClass).toBe('auth');
    expect(error.vendorDetail).toMatchObject({ kind: 'http', status: 401 });
  });

  it('classifies an unknown database as auth (configuration)', async () => {
    const error = await failure(() => tryton.client({ database: 'no_such_db' }).login());
    expect(error.errorClass).toBe('auth');
    expect(error.vendorDetail).toMatchObject({ method: 'common.db.login' });
  });

  it('creates and reads a party', async () => {
    const [id] = await client.create('party.party', [
      { name: 'Acme Heating', addresses: [['create', [{ street: '1 Main St', city: 'Lyon' }]]] },
    ]);
    const [party] = await client.read<{ id: number; name: string; active: boolean; addresses: number[] }>(
      'party.party',
      [id!],
      ['name', 'active', 'addresses'],
    );
    // `active` is 1 on the wire from SQLite; the client normalises Boolean fields.
    expect(party).toMatchObject({ id, name: 'Acme Heating', active: true });
    expect(party!.addresses).toHaveLength(1);
    const raw = await client.model<Array<{ active: unknown }>>('party.party', 'read', [[id], ['active']]);
    expect(raw[0]!.active).toBe(1);
  });

  it('round-trips Decimals exactly and never sends a binary float for a Numeric field', async () => {
    const [a, b] = await client.create('product.template', [
      { name: 'Price A', default_uom: tryton.setup.uom.unit, list_price: '49.90' },
      {
        name: 'Price B',
        default_uom: tryton.setup.uom.unit,
        list_price: trytonDecimal(new Decimal('0.1').plus('0.2')),
      },
    ]);
    const rows = await client.read<{ id: number; list_price: string }>(
      'product.template',
      [a!, b!],
      ['list_price'],
    );
    const byId = new Map(rows.map((row) => [row.id, row.list_price]));
    expect(byId.get(a!)).toBe('49.90');
    // Tryton on SQLite returns the Decimal as stored, not padded to the field's digits.
    expect(byId.get(b!)).toBe('0.3');
    await client.write('product.template', [a!], { list_price: '19.99' });
    expect(
      (await client.read<{ list_price: string }>('product.template', [a!], ['list_price']))[0]!.list_price,
    ).toBe('19.99');

    const local = await failure(() =>
      client.create('product.template', [
        { name: 'Float', default_uom: tryton.setup.uom.unit, list_price: 49.9 },
      ]),
    );
    expect(local.errorClass).toBe('validation');
    expect(local.vendorDetail).toMatchObject({ kind: 'encoding', field: 'list_price' });
    // Without the schema-aware encoding Tryton itself refuses the float's binary expansion.
    const raw = await failure(() =>
      client.create(
        'product.template',
        [{ name: 'Float', default_uom: tryton.setup.uom.unit, list_price: 49.9 }],
        {
          coerce: false,
        },
      ),
    );
    expect(raw.errorClass).toBe('validation');
    expect(raw.vendorDetail).toMatchObject({ kind: 'UserError' });
  });

  it('encodes dates, datetimes (to the microsecond) and timedeltas', async () => {
    const [rate] = await client.create('currency.currency.rate', [
      { currency: tryton.setup.currencies.USD, date: '2026-03-15', rate: '1.0825' },
    ]);
    const [row] = await client.read<{ date: string; rate: string; create_date: string }>(
      'currency.currency.rate',
      [rate!],
      ['date', 'rate', 'create_date'],
    );
    expect(row).toMatchObject({ date: '2026-03-15', rate: '1.0825' });
    expect(row!.create_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const at = trytonDateTime(row!.create_date);
    expect(
      await client.search('currency.currency.rate', [
        ['id', '=', rate],
        ['create_date', '>=', at],
      ]),
    ).toEqual([rate]);
    expect(
      await client.search('currency.currency.rate', [
        ['id', '=', rate],
        ['create_date', '>', at],
      ]),
    ).toEqual([]);

    const [work] = await client.create('timesheet.work', [
      { name: 'Field work', company: tryton.setup.company.id },
    ]);
    const [line] = await client.create('timesheet.line', [
      {
        employee: tryton.setup.employee.id,
        work,
        company: tryton.setup.company.id,
        date: '2026-11-20',
        duration: 5400,
      },
    ]);
    const [timesheet] = await client.read<{ duration: number; date: string }>(
      'timesheet.line',
      [line!],
      ['duration', 'date'],
    );
    expect(timesheet).toMatchObject({ duration: 5400, date: '2026-11-20' });
  });

  it('pages search_read by offset and by id keyset', async () => {
    const names = Array.from({ length: 25 }, (_, i) => ({ name: `Paging ${String(i).padStart(2, '0')}` }));
    const created = await client.create('party.party', names);
    const domain = [['name', 'like', 'Paging %']];
    const pages: number[][] = [];
    for (const offset of [0, 10, 20]) {
      const page = await client.searchRead<{ id: number }>('party.party', domain, {
        fields: ['name'],
        offset,
        limit: 10,
        order: [['id', 'ASC']],
      });
      pages.push(page.map((row) => row.id));
    }
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(created);
    expect(await client.searchCount('party.party', domain)).toBe(25);

    const keyset: number[][] = [];
    for await (const page of searchReadPages<{ id: number }>(client, 'party.party', domain, {
      fields: ['name'],
      pageSize: 7,
    })) {
      keyset.push(page.map((row) => row.id));
    }
    expect(keyset.map((page) => page.length)).toEqual([7, 7, 7, 4]);
    expect(keyset.flat()).toEqual(created);
  });

  it('classifies Tryton UserErrors (missing required field, deleted record) as validation', async () => {
    const missing = await failure(() => client.create('product.template', [{ list_price: '1.00' }]));
    expect(missing.errorClass).toBe('validation');
    expect(missing.vendorDetail).toMatchObject({
      kind: 'UserError',
      method: 'model.product.template.create',
    });

    const [id] = await client.create('party.party', [{ name: 'Short-lived' }]);
    await client.delete('party.party', [id!]);
    const gone = await failure(() => client.read('party.party', [id!], ['name']));
    expect(gone.errorClass).toBe('validation');
    expect(gone.vendorDetail).toMatchObject({ kind: 'UserError' });
  });

  it('classifies unknown models and fields (bare exception strings) as validation', async () => {
    const model = await failure(() => client.read('fieldsync.nope', [1], ['name']));
    expect(model.errorClass).toBe('validation');
    expect(model.vendorDetail).toMatchObject({ kind: 'exception', message: "'fieldsync.nope'" });

    const field = await failure(() => client.create('party.party', [{ name: 'X', no_such_field: 1 }]));
    expect(field.errorClass).toBe('validation');
    expect(field.vendorDetail).toMatchObject({ kind: 'exception', message: "'no_such_field'" });
  });

  it('reports UserWarnings with their name and acknowledges them only when allowed', async () => {
    const product = await newGoods('WARN-1');
    const move = async (): Promise<number> => {
      const [id] = await client.create('stock.move', [
        {
          product,
          from_location: tryton.setup.locations.supplier,
          to_location: tryton.setup.locations.storage,
          quantity: 5,
          uom: tryton.setup.uom.unit,
          unit_price: '4.00',
          currency: tryton.setup.company.currencyId,
          company: tryton.setup.company.id,
        },
      ]);
      return id!;
    };
    const first = await move();
    const warning = await failure(() => client.execute('stock.move', 'do', [first]));
    expect(warning.errorClass).toBe('validation');
    expect(userWarningName(warning)).toMatch(/\.done$/);

    const refused = await failure(() =>
      client.execute('stock.move', 'do', [first], { acknowledgeWarnings: (w) => w.name.endsWith('.other') }),
    );
    expect(userWarningName(refused)).toBe(userWarningName(warning));

    await client.execute('stock.move', 'do', [first], { acknowledgeWarnings: true });
    const [done] = await client.read<{ state: string }>('stock.move', [first], ['state']);
    expect(done!.state).toBe('done');
    const [storage] = await client.read<{ quantity: number }>(
      'stock.location',
      [tryton.setup.locations.storage],
      ['quantity'],
      { context: { product } },
    );
    expect(storage!.quantity).toBe(5);
  });

  it('classifies an optimistic-lock failure (_timestamp) as conflict', async () => {
    const [id] = await client.create('party.party', [{ name: 'Locked' }]);
    const [before] = await client.read<{ _timestamp: string }>('party.party', [id!], ['_timestamp']);
    // On SQLite _timestamp is whole epoch seconds: the competing edit must land in a later second.
    await sleep(1050 - (Date.now() % 1000));
    await client.write('party.party', [id!], { name: 'Locked, edited elsewhere' });
    const conflict = await failure(() =>
      client.write(
        'party.party',
        [id!],
        { name: 'Locked, stale edit' },
        { context: { _timestamp: { [`party.party,${id}`]: before!._timestamp } } },
      ),
    );
    expect(conflict.errorClass).toBe('conflict');
  });

  it('logs in again once when the session has ended', async () => {
    const fresh = tryton.client();
    await fresh.searchCount('party.party', []);
    expect(fresh.stats().logins).toBe(1);
    await fresh.call('common.db.logout', []);
    expect(await fresh.searchCount('party.party', [])).toBeGreaterThan(0);
    expect(fresh.stats().logins).toBe(2);
  });

  it('fails model calls with auth when the context has no company', async () => {
    const noCompany = tryton.client({ context: { company: null } });
    const error = await failure(() => noCompany.searchCount('party.party', []));
    expect(error.errorClass).toBe('auth');
  });

  /** Runs `fn` with a counting proxy in front of the shared server. */
  async function throughProxy(fn: (proxy: CountingProxy) => Promise<void>): Promise<void> {
    const proxy = await startCountingProxy(tryton.url, { holdMs: 30 });
    try {
      await fn(proxy);
    } finally {
      await proxy.close();
    }
  }

  it('sends one request at a time by default, over a kept-alive connection', async () => {
    await throughProxy(async (proxy) => {
      const serial = tryton.client({ url: proxy.url });
      await serial.login();
      await Promise.all(Array.from({ length: 8 }, () => serial.searchCount('party.party', [])));
      expect(proxy.maxConcurrent()).toBe(1);
      // Keep-alive: undici may open a second socket while the first is being released, never one per call.
      expect(proxy.requests()).toBeGreaterThanOrEqual(9);
      expect(proxy.connections()).toBeLessThanOrEqual(2);
    });
  });

  it('honours maxInFlight, and a limiter shared by several clients', async () => {
    await throughProxy(async (proxy) => {
      const parallel = tryton.client({ url: proxy.url, maxInFlight: 3 });
      await parallel.login();
      await Promise.all(Array.from({ length: 9 }, () => parallel.searchCount('party.party', [])));
      expect(proxy.maxConcurrent()).toBe(3);
    });
    await throughProxy(async (proxy) => {
      const limiter = pLimit(1);
      const one = tryton.client({ url: proxy.url, limiter });
      const two = tryton.client({ url: proxy.url, limiter });
      await Promise.all([one.login(), two.login()]);
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).searchCount('party.party', [])),
      );
      expect(proxy.maxConcurrent()).toBe(1);
    });
  });

  it('classifies a hung server (timeout) as transient', async () => {
    const hole = await startBlackHole();
    try {
      const hung = tryton.client({ url: hole.url, timeoutMs: 300 });
      const error = await failure(() => hung.login());
      expect(error.errorClass).toBe('transient');
      expect(error.vendorDetail).toMatchObject({ kind: 'network', code: 'TIMEOUT' });
    } finally {
      await hole.close();
    }
  });

  // Last: it stops the shared server for a while.
  it('classifies a stopped server as transient and works again after restart', async () => {
    await client.searchCount('party.party', []);
    await tryton.stopServer();
    try {
      const down = await failure(() => client.searchCount('party.party', []));
      expect(down.errorClass).toBe('transient');
      expect(down.vendorDetail).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
      const writeDown = await failure(() => client.create('party.party', [{ name: 'While down' }]));
      expect(writeDown.errorClass).toBe('transient');
    } finally {
      await tryton.startServer();
    }
    expect(await client.searchCount('party.party', [['name', '=', 'Acme Heating']])).toBe(1);
  });
});
