import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteOp } from '../../src/connectors/sdk/index.js';
import type { TrytonConnectorSession } from '../../src/connectors/tryton/index.js';
import { trytonConnector } from '../../src/connectors/tryton/index.js';
import type { TrytonClient } from '../../src/connectors/tryton/transport/index.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { collect, createGoods, createStorage, onHand, recordCalls, tagAttachments } from './fixtures.js';
import { configFor } from './support.js';

const skip = trytonSkipReason();

/** The calls of the protocol: on the documents and their tags (not the resolver's look-ups, cached anyway). */
const protocolCalls = (calls: readonly { method: string }[]) =>
  calls
    .map((c) => c.method)
    .filter(
      (m) => /^model\.(stock\.move|stock\.inventory|ir\.attachment)\./.test(m) && !m.endsWith('.fields_get'),
    );

describe.skipIf(skip !== undefined)(`tryton tags: first attempts and batch marks, live ${skip ?? ''}`, () => {
  let tryton: TrytonHandle;
  let client: TrytonClient;
  let product: number;
  let van: number;
  const sessions: TrytonConnectorSession[] = [];

  const connect = async (overrides: Parameters<typeof configFor>[1] = {}) => {
    const session = (await trytonConnector.connect(
      configFor(tryton, { acknowledgeWarnings: ['stock.move.do'], ...overrides }),
    )) as TrytonConnectorSession;
    await session.check();
    sessions.push(session);
    return session;
  };
  /** A work order's parts taken from the van (moves to the customer location: `do` warns, no origin). */
  const parts = (key: string, quantities: readonly string[], extra: Partial<WriteOp> = {}): WriteOp => ({
    idempotencyKey: key,
    op: 'create',
    payload: {
      label: `WO ${key}`,
      lines: quantities.map((quantity) => ({ sku: 'TAG-1', quantity, location: 'VAN-T' })),
    },
    ...extra,
  });
  const movesOf = async (reference: string) => {
    const ids = (await tagAttachments(client, 'stock.move', reference)).flatMap((a) => a.ids);
    return ids.length === 0
      ? []
      : client.read<{ id: number; state: string; quantity: number }>('stock.move', ids, [
          'state',
          'quantity',
        ]);
  };

  beforeAll(async () => {
    tryton = await startTryton();
    client = tryton.client();
    product = await createGoods(tryton, 'TAG-1');
    van = await createStorage(tryton, 'VAN-T');
    // Stock in the van, so the consumptions below never go negative.
    const [receipt] = await client.create('stock.move', [
      {
        product,
        uom: tryton.setup.uom.unit,
        quantity: 500,
        from_location: tryton.setup.locations.supplier,
        to_location: van,
        company: tryton.setup.company.id,
        unit_price: '4.00',
        currency: tryton.setup.company.currencyId,
      },
    ]);
    await client.execute('stock.move', 'do', [receipt as number], { acknowledgeWarnings: true });
  });
  afterAll(async () => {
    for (const session of sessions) await session.close();
    await tryton?.stop();
  });

  it('a batch of first attempts sends no look-up, one create and one batch mark listing every op', async () => {
    const session = await connect({ stockMoveState: 'draft' });
    const calls = recordCalls(session.client);
    const ops = [
      parts('first-1', ['1']),
      parts('first-2', ['2', '3']),
      parts('first-none', []),
      parts('first-3', ['1']),
    ].map((op) => ({ ...op, firstAttempt: true }));
    const results = await session.writeBatch('stock_move', ops);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(protocolCalls(calls)).toEqual(['model.stock.move.create', 'model.ir.attachment.create']);

    const marks = await Promise.all(
      ['first-1', 'first-2', 'first-3'].map((r) => tagAttachments(client, 'stock.move', r)),
    );
    // One attachment for the whole call, on its first record, naming the work orders.
    expect(new Set(marks.flat().map((m) => m.id)).size).toBe(1);
    const [one, two, three] = marks.map((m) => m[0]);
    expect(one?.resource).toBe(`stock.move,${one?.ids[0]}`);
    expect(one?.name).toBe('WO first-1, WO first-2, WO first-3');
    expect([one?.label, two?.label, three?.label]).toEqual(['WO first-1', 'WO first-2', 'WO first-3']);
    expect([one?.ids.length, two?.ids.length, three?.ids.length]).toEqual([1, 2, 1]);
    expect(results.map((r) => r.ok && r.externalId)).toEqual([
      String(one?.ids[0]),
      String(two?.ids[0]),
      undefined,
      String(three?.ids[0]),
    ]);
    expect((await movesOf('first-2')).map((m) => [m.state, m.quantity])).toEqual([
      ['draft', 2],
      ['draft', 3],
    ]);
  });

  it('a mixed batch looks up only the ops that may have been sent before, in one search', async () => {
    const session = await connect({ stockMoveState: 'draft' });
    const calls = recordCalls(session.client);
    const results = await session.writeBatch('stock_move', [
      parts('mixed-new', ['1'], { firstAttempt: true }),
      parts('mixed-retry', ['1']),
      // A mapping's explicit reference can be shared by two events: looked up even on a first attempt.
      {
        ...parts('mixed-explicit', ['1'], { firstAttempt: true }),
        payload: { reference: 'TR-77', lines: [] },
      },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const searches = calls.filter((c) => c.method === 'model.ir.attachment.search_read');
    expect(searches).toHaveLength(1);
    const domain = JSON.stringify(searches[0]?.params[0]);
    expect(domain).toContain('fieldsync:mixed-retry');
    expect(domain).toContain('fieldsync:TR-77');
    expect(domain).not.toContain('fieldsync:mixed-new');
  });

  it('finds references holding LIKE wildcards, a backslash or a tab exactly, and no look-alike', async () => {
    const session = await connect({ stockMoveState: 'draft' });
    const op = (key: string, reference: string): WriteOp => ({
      ...parts(key, ['1']),
      payload: { reference, lines: [{ sku: 'TAG-1', quantity: '1', location: 'VAN-T' }] },
    });
    // Unescaped, the pattern of the second would match the first (`_`, `%`, and case on SQLite).
    const [alike] = await session.writeBatch('stock_move', [op('odd-1', 'tr\\1xx\tX')]);
    const [odd] = await session.writeBatch('stock_move', [op('odd-2', 'TR\\1_%\tx')]);
    expect(alike).toMatchObject({ ok: true });
    expect(odd).toMatchObject({ ok: true });
    expect(odd?.ok && 'replayed' in odd).toBe(false);
    const [again] = await session.writeBatch('stock_move', [op('odd-3', 'TR\\1_%\tx')]);
    expect(again).toEqual({ ...odd, idempotencyKey: 'odd-3', replayed: true });
  });

  it('a retry after a crash between the tag and `do` finds the batch-marked drafts and only does them', async () => {
    // `do` refused (warning not acknowledged): the moves are created and tagged, not done, as when the
    // hub dies after the tag.
    const strict = await connect({ acknowledgeWarnings: false });
    const ops = [parts('crash-1', ['1']), parts('crash-2', ['2', '1']), parts('crash-3', ['3'])];
    const before = await onHand(client, product, van);
    const movesFromVan = () => client.searchCount('stock.move', [['from_location', '=', van]]);
    const movesBefore = await movesFromVan();
    const refused = await strict.writeBatch(
      'stock_move',
      ops.map((op) => ({ ...op, firstAttempt: true })),
    );
    expect(refused.map((r) => r.ok)).toEqual([false, false, false]);
    for (const key of ['crash-1', 'crash-2', 'crash-3'])
      expect((await movesOf(key)).every((m) => m.state === 'draft')).toBe(true);
    expect(await onHand(client, product, van)).toBe(before);
    expect(await movesFromVan()).toBe(movesBefore + 4);

    // The engine's retry: not a first attempt, so looked up.
    const session = await connect();
    const calls = recordCalls(session.client);
    const retried = await session.writeBatch('stock_move', ops);
    expect(retried.map((r) => r.ok && r.replayed)).toEqual([true, true, true]);
    // One search; no create; the states of the drafts found; `do`.
    expect(protocolCalls(calls)).toEqual([
      'model.ir.attachment.search_read',
      'model.stock.move.read',
      'model.stock.move.do',
    ]);
    expect((await movesOf('crash-1')).map((m) => m.state)).toEqual(['done']);
    expect((await movesOf('crash-2')).map((m) => [m.quantity, m.state])).toEqual([
      [2, 'done'],
      [1, 'done'],
    ]);
    expect((await movesOf('crash-3')).map((m) => m.state)).toEqual(['done']);
    expect(await onHand(client, product, van)).toBe(before - 7);

    // Once more (a crash after `do`, before our commit): found, nothing done twice, no move added.
    const again = await session.writeBatch('stock_move', ops);
    expect(again.map((r) => r.ok && r.replayed)).toEqual([true, true, true]);
    expect(await onHand(client, product, van)).toBe(before - 7);
    expect(await movesFromVan()).toBe(movesBefore + 4);
    for (const key of ['crash-1', 'crash-2', 'crash-3'])
      expect(await tagAttachments(client, 'stock.move', key)).toHaveLength(1);
  });

  it('finds the per-op attachments of databases written before batch marks, and reads their references', async () => {
    // What the connector wrote before: one attachment per op, link = the tag, the op's ids in the
    // description (or none: the resource's id).
    const draft = (quantity: number) => ({
      product,
      uom: tryton.setup.uom.unit,
      quantity,
      from_location: van,
      to_location: tryton.setup.locations.customer,
      company: tryton.setup.company.id,
      unit_price: '4.00',
      currency: tryton.setup.company.currencyId,
    });
    const [a1, a2, b1] = await client.create('stock.move', [draft(1), draft(2), draft(4)]);
    await client.create('ir.attachment', [
      {
        name: 'WO old-a',
        type: 'link',
        link: 'fieldsync:old-a',
        resource: `stock.move,${a1}`,
        description: `${a1},${a2}`,
      },
      { name: 'WO old-b', type: 'link', link: 'fieldsync:old-b', resource: `stock.move,${b1}` },
    ]);
    const before = await onHand(client, product, van);
    const session = await connect();
    const calls = recordCalls(session.client);
    const results = await session.writeBatch('stock_move', [
      parts('old-a', ['1', '2']),
      parts('old-b', ['4']),
    ]);
    expect(results).toEqual([
      { idempotencyKey: 'old-a', ok: true, externalId: String(a1), replayed: true },
      { idempotencyKey: 'old-b', ok: true, externalId: String(b1), replayed: true },
    ]);
    expect(protocolCalls(calls)).not.toContain('model.stock.move.create');
    expect(await onHand(client, product, van)).toBe(before - 7);

    const moves = await collect(session.readAll('stock_move'));
    const referenceOf = (id: number | undefined) =>
      moves.find((m) => m.externalId === String(id))?.data.fieldsyncReference;
    expect([referenceOf(a1), referenceOf(a2), referenceOf(b1)]).toEqual(['old-a', 'old-a', 'old-b']);
  });

  it('reads map every batch-marked record to its reference, also a record read on its own', async () => {
    const session = await connect({ stockMoveState: 'draft' });
    const ops = [parts('read-1', ['1', '1']), parts('read-2', ['2']), parts('read-3', ['3', '1'])].map(
      (op) => ({
        ...op,
        firstAttempt: true,
      }),
    );
    await session.writeBatch('stock_move', ops);
    const moves = await collect(session.readAll('stock_move'));
    const references = (r: string) =>
      moves.filter((m) => m.data.fieldsyncReference === r).map((m) => m.data.quantity);
    expect([references('read-1'), references('read-2'), references('read-3')]).toEqual([
      ['1', '1'],
      ['2'],
      ['3', '1'],
    ]);
    // A record that is not the one carrying the mark, read alone: found through its create call's siblings.
    const last = (await tagAttachments(client, 'stock.move', 'read-3'))[0]?.ids.at(-1);
    const [alone] = await session.readRecords('stock_move', [String(last)]);
    expect(alone?.data.fieldsyncReference).toBe('read-3');

    // Inventories use the same marks.
    const counts = await session.writeBatch(
      'inventory',
      ['count-a', 'count-b'].map((key, i) => ({
        idempotencyKey: key,
        op: 'create' as const,
        firstAttempt: true,
        payload: {
          label: `Count ${key}`,
          location: i === 0 ? 'VAN-T' : 'stock.location_storage',
          lines: [{ sku: 'TAG-1', quantity: String(400 + i) }],
        },
      })),
    );
    expect(counts.map((r) => r.ok)).toEqual([true, true]);
    const inventories = await collect(session.readAll('inventory'));
    expect(
      ['count-a', 'count-b'].map((r) => inventories.filter((i) => i.data.fieldsyncReference === r).length),
    ).toEqual([1, 1]);
  });
});
