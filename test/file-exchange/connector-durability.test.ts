import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileExchangeConfigInput } from '../../src/connectors/file-exchange/connector/index.js';
import { LEDGER_FILE, fileExchangeConnector } from '../../src/connectors/file-exchange/connector/index.js';
import type { ConnectorSession, WriteOp, WriteResult } from '../../src/connectors/sdk/index.js';

let base: string;
let root: string;
let outbound: string;
const sessions: ConnectorSession[] = [];

beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'fx-durable-'));
  root = path.join(base, 'exchange');
  outbound = path.join(root, 'outbound');
  await mkdir(outbound, { recursive: true });
});
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await rm(base, { recursive: true, force: true });
});

async function open(extra: Partial<FileExchangeConfigInput> = {}): Promise<ConnectorSession> {
  const session = await fileExchangeConnector.connect(
    fileExchangeConnector.configSchema.parse({ root, ...extra }),
  );
  sessions.push(session);
  return session;
}

/** Closes every session so the next one reads the ledger from disk, as after a restart. */
async function restart(extra: Partial<FileExchangeConfigInput> = {}): Promise<ConnectorSession> {
  for (const s of sessions.splice(0)) await s.close();
  return open(extra);
}

const movement = (n: number, quantity = '-2'): WriteOp => ({
  idempotencyKey: `flow:stock-movements:evt-${n}`,
  op: 'create',
  payload: { movement_id: `M-${n}`, kind: 'issue', quantity, reference: `=HYPERLINK("x")-${n}` },
});

async function dataFiles(): Promise<string[]> {
  return (await readdir(outbound)).filter((n) => !n.endsWith('.manifest.json') && !n.startsWith('.')).sort();
}

async function ledgerLines(): Promise<{ t: string; file: string }[]> {
  const text = await readFile(path.join(root, LEDGER_FILE), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { t: string; file: string });
}

/** Drops the commit lines, as if the process died after the file was (or was not) published. */
async function forgetCommits(): Promise<void> {
  const kept = (await ledgerLines()).filter((l) => l.t !== 'commit');
  await writeFile(path.join(root, LEDGER_FILE), kept.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

const okIds = (results: WriteResult[]) =>
  results.map((r) => (r.ok ? r.externalId : `FAILED ${r.error.errorClass}`));

async function lineOf(externalId: string): Promise<string> {
  const [file, line] = externalId.split('#') as [string, string];
  const text = await readFile(path.join(outbound, file), 'utf8');
  return text.split(/\r?\n/)[Number(line) - 1] ?? '';
}

describe('file-exchange connector: one durable file per batch', () => {
  it('writes a batch as one file plus manifest and acknowledges each op with <file>#<line> of its own row', async () => {
    const session = await open();
    const ops = [movement(1), movement(2), movement(3)];
    const results = await session.writeBatch('stock_movement', ops);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const files = await dataFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{9}Z_stock-movement_\d{6}\.csv$/);
    for (const [i, r] of results.entries()) {
      expect(r.ok && r.externalId).toBe(`${files[0]}#${i + 2}`);
      if (r.ok && r.externalId) expect(await lineOf(r.externalId)).toContain(`M-${i + 1}`);
    }
    const content = await readFile(path.join(outbound, files[0] as string));
    const manifest = JSON.parse(
      await readFile(path.join(outbound, `${files[0]}.manifest.json`), 'utf8'),
    ) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      file: files[0],
      records: 3,
      flow: 'stock-movement',
      format: 'csv',
      bytes: content.length,
    });
    expect(manifest.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    // Columns in payload order; the signed quantity stays a number, the text cell is formula-guarded.
    const text = content.toString('utf8');
    expect(text.split('\r\n')[0]).toBe('movement_id,kind,quantity,reference');
    expect(text.split('\r\n')[1]).toBe(`M-1,issue,-2,"'=HYPERLINK(""x"")-1"`);
    // The ledger announced the file before it existed and committed it after.
    expect((await ledgerLines()).map((l) => l.t)).toEqual(['intent', 'commit']);
  });

  it('acknowledges nothing when the file cannot be made durable, and a retry writes exactly one file', async () => {
    const session = await open();
    await session.writeBatch('stock_movement', [movement(0)]);
    const before = await dataFiles();
    const ops = [movement(1), movement(2)];
    await rename(outbound, `${outbound}.away`);
    await expect(session.writeBatch('stock_movement', ops)).rejects.toMatchObject({
      errorClass: 'transient',
    });
    await rename(`${outbound}.away`, outbound);
    expect(await dataFiles()).toEqual(before);
    expect((await ledgerLines()).map((l) => l.t)).toEqual(['intent', 'commit', 'intent', 'abort']);
    const retried = await session.writeBatch('stock_movement', ops);
    expect(retried.every((r) => r.ok && r.replayed !== true)).toBe(true);
    expect(await dataFiles()).toHaveLength(2);
  });

  it('answers a re-sent batch from the ledger: same ids, replayed, no second file — also after a restart', async () => {
    const session = await open();
    const ops = [movement(1), movement(2)];
    const first = await session.writeBatch('stock_movement', ops);
    const again = await session.writeBatch('stock_movement', ops);
    expect(okIds(again)).toEqual(okIds(first));
    expect(again.every((r) => r.ok && r.replayed === true)).toBe(true);
    const restarted = await restart();
    const afterRestart = await restarted.writeBatch('stock_movement', ops);
    expect(okIds(afterRestart)).toEqual(okIds(first));
    expect(await dataFiles()).toHaveLength(1);
  });

  it('a mixed batch: known keys are replays, only the new records go into the new file', async () => {
    const session = await open();
    const first = await session.writeBatch('stock_movement', [movement(1), movement(2)]);
    const mixed = await session.writeBatch('stock_movement', [movement(2), movement(3), movement(1)]);
    expect(mixed.map((r) => r.ok && r.replayed === true)).toEqual([true, false, true]);
    expect(okIds([mixed[0] as WriteResult, mixed[2] as WriteResult])).toEqual(
      okIds([first[1] as WriteResult, first[0] as WriteResult]),
    );
    const files = await dataFiles();
    expect(files).toHaveLength(2);
    const second = await readFile(path.join(outbound, files[1] as string), 'utf8');
    expect(second).toContain('M-3');
    expect(second).not.toContain('M-1');
  });

  it('crash after publishing, before the commit: the next session commits it and the re-sent batch is a replay', async () => {
    const ops = [movement(1), movement(2)];
    const first = await (await open()).writeBatch('stock_movement', ops);
    await forgetCommits();
    const session = await restart();
    const again = await session.writeBatch('stock_movement', ops);
    expect(okIds(again)).toEqual(okIds(first));
    expect(again.every((r) => r.ok && r.replayed === true)).toBe(true);
    expect(await dataFiles()).toHaveLength(1);
  });

  it('crash between the data file and its manifest: the manifest is completed from the file, no second file', async () => {
    const ops = [movement(1), movement(2), movement(3)];
    const first = await (await open()).writeBatch('stock_movement', ops);
    const [file] = await dataFiles();
    const manifestPath = path.join(outbound, `${file}.manifest.json`);
    const original = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    await unlink(manifestPath);
    await forgetCommits();
    const session = await restart();
    const again = await session.writeBatch('stock_movement', ops);
    expect(okIds(again)).toEqual(okIds(first));
    expect(JSON.parse(await readFile(manifestPath, 'utf8'))).toEqual(original);
    expect(await dataFiles()).toEqual([file]);
  });

  it('crash before publishing: the interrupted file is abandoned and the batch is written once, under a new name', async () => {
    const ops = [movement(1), movement(2)];
    await (await open()).writeBatch('stock_movement', ops);
    const [lost] = await dataFiles();
    await unlink(path.join(outbound, lost as string));
    await unlink(path.join(outbound, `${lost}.manifest.json`));
    await forgetCommits();
    const session = await restart();
    const again = await session.writeBatch('stock_movement', ops);
    expect(again.every((r) => r.ok && r.replayed !== true)).toBe(true);
    const files = await dataFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).not.toBe(lost);
    expect((await ledgerLines()).filter((l) => l.file === lost).map((l) => l.t)).toEqual(['intent', 'abort']);
  });

  it('an op whose value cannot be written fails alone as validation; the others are written', async () => {
    const session = await open();
    const bad: WriteOp = {
      idempotencyKey: 'bad',
      op: 'create',
      payload: { movement_id: 'M-X', kind: 'issue', quantity: '1', reference: 'nul\u0000byte' },
    };
    const results = await session.writeBatch('stock_movement', [movement(1), bad, movement(2)]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.errorClass))).toEqual(['ok', 'validation', 'ok']);
    expect(okIds(results)[2]).toMatch(/#3$/);
    const text = await readFile(path.join(outbound, (await dataFiles())[0] as string), 'utf8');
    expect(text).not.toContain('M-X');
  });

  it('writes JSON Lines and XML with the configured layout, and reads its own files back', async () => {
    const session = await open({
      entities: {
        asset_event: { format: 'jsonl', file: 'asset-events' },
        maintenance_cost: {
          format: 'xml',
          layout: [
            { field: 'id', header: 'cost_id' },
            { field: 'qty', header: 'quantity' },
          ],
        },
      },
    });
    const jsonl = await session.writeBatch('asset_event', [
      { idempotencyKey: 'a1', op: 'create', payload: { event_id: 'E1', note: 'line\nbreak' } },
    ]);
    const xml = await session.writeBatch('maintenance_cost', [
      { idempotencyKey: 'c1', op: 'create', payload: { id: 'C1', qty: '-1.5', ignored: 'x' } },
    ]);
    expect(okIds(jsonl)[0]).toMatch(/_asset-events_\d{6}\.jsonl#1$/);
    expect(okIds(xml)[0]).toMatch(/_maintenance-cost_\d{6}\.xml#3$/);
    const readBack = [];
    for await (const r of session.readAll('maintenance_cost')) readBack.push(r);
    expect(readBack.map((r) => [r.externalId, r.data])).toEqual([
      [okIds(xml)[0], { cost_id: 'C1', quantity: '-1.5' }],
    ]);
    const events = [];
    for await (const r of session.readAll('asset_event')) events.push(r);
    expect(events.map((r) => [r.externalId, r.data])).toEqual([
      [okIds(jsonl)[0], { event_id: 'E1', note: 'line\nbreak' }],
    ]);
  });
});
