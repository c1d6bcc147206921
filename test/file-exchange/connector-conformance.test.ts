import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { exportRecords } from '../../src/connectors/file-exchange/index.js';
import type { FileExchangeConfig } from '../../src/connectors/file-exchange/connector/index.js';
import { fileExchangeConnector } from '../../src/connectors/file-exchange/connector/index.js';
import type { ErrorCase } from '../../src/connectors/sdk/conformance-kit.js';
import { runConnectorConformance } from '../../src/connectors/sdk/conformance-kit.js';

/**
 * The shared acceptance suite against a real folder. "Seeding the vendor" means putting a file into the
 * outbound folder the way a flow would, with the kit's timestamp as the file's creation time.
 */
const base = await mkdtemp(path.join(tmpdir(), 'fx-conformance-'));
const root = path.join(base, 'exchange');
const outbound = path.join(root, 'outbound');
await mkdir(outbound, { recursive: true });
afterAll(() => rm(base, { recursive: true, force: true }));

const good = (): FileExchangeConfig => fileExchangeConnector.configSchema.parse({ root });
const layout = [
  { field: 'n', header: 'n', numeric: true },
  { field: 'name', header: 'name' },
];
let seedSeq = 900_000;

/** One file per distinct timestamp, records in the given order; ids are `<file>#<line>` (header is line 1). */
async function seed(records: readonly { index: number; modifiedAt: string }[]): Promise<string[]> {
  const byStamp = new Map<string, { index: number; position: number }[]>();
  records.forEach((r, position) => {
    const list = byStamp.get(r.modifiedAt) ?? [];
    list.push({ index: r.index, position });
    byStamp.set(r.modifiedAt, list);
  });
  const ids = new Array<string>(records.length);
  for (const [stamp, list] of byStamp) {
    const { manifest } = await exportRecords({
      dir: outbound,
      flow: 'stock-movement',
      format: 'csv',
      layout,
      records: list.map((r) => ({ n: r.index, name: `seeded ${r.index}` })),
      seq: (seedSeq += 1),
      clock: () => new Date(stamp),
    });
    list.forEach((r, i) => {
      ids[r.position] = `${manifest.file}#${i + 2}`;
    });
  }
  return ids;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const authCase: ErrorCase<string, FileExchangeConfig> = isRoot
  ? { skip: 'the tests run as root, and file permissions cannot be denied to root' }
  : {
      arrange: () => chmod(outbound, 0o500),
      act: ({ session }) =>
        session.writeBatch('stock_movement', [{ idempotencyKey: 'auth-1', op: 'create', payload: { n: 1 } }]),
      cleanup: () => chmod(outbound, 0o755),
    };

runConnectorConformance<string, FileExchangeConfig>({
  name: 'file-exchange',
  makeConnector: () => fileExchangeConnector,
  goodConfig: good,
  badConnections: [
    {
      name: 'exchange root missing (share not mounted)',
      config: () => ({ ...good(), root: path.join(base, 'nowhere') }),
      expect: 'transient',
    },
    {
      name: 'exchange root is a file',
      config: async () => {
        const file = path.join(base, 'a-file');
        await writeFile(file, 'x');
        return { ...good(), root: file };
      },
      expect: 'validation',
    },
  ],
  entity: 'stock_movement',
  seed,
  sampleWrite: (i) => ({ op: 'create', payload: { n: i, name: `written ${i}` } }),
  triggerError: {
    transient: {
      arrange: () => rename(outbound, `${outbound}.away`),
      act: ({ session }) =>
        session.writeBatch('stock_movement', [
          { idempotencyKey: `transient-${Date.now()}`, op: 'create', payload: { n: 1 } },
        ]),
      cleanup: () => rename(`${outbound}.away`, outbound),
    },
    rate_limited: { skip: 'a local folder has no rate limit; a full disk is reported as transient' },
    auth: authCase,
    not_found: {
      skip: 'files are append-only: no write addresses an existing record, so none can be missing',
    },
    validation: {
      act: ({ session }) =>
        session.writeBatch('stock_movement', [
          {
            idempotencyKey: `validation-${Date.now()}`,
            op: 'create',
            payload: { n: 1, name: ['a', 'list'] },
          },
        ]),
    },
    conflict: { skip: 'a re-sent key is answered from the ledger as a replay, and file names never clash' },
    cursor_invalid: {
      act: ({ session }) => session.readChanges('stock_movement', { modifiedAt: 'yesterday', id: 'x' }, 1),
    },
  },
  pageSize: 5,
});
