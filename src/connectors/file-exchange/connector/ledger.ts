import { open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { errnoCode } from '../file-exchange-error.js';
import { parseExportFileName } from '../file-naming.js';
import type { ExportFormat } from '../manifest.js';

/**
 * The outbound idempotency ledger: which idempotency keys already went into which file. A sidecar JSON
 * Lines file under the exchange root (hidden, so consumers of the folder skip it), appended and fsynced.
 *
 * Each file we write is a *unit*. Its `intent` line (file name, keys and their lines) is durable BEFORE the
 * file is published, its `commit` line after. A crash in between leaves a pending unit whose file name is
 * known, so the next session can look: published → commit it (the keys are answered as replays, no second
 * file); not there → abort it (the keys are written again under a new name).
 */
export const UnitKind = { records: 'records', ubl: 'ubl' } as const;
export type UnitKind = (typeof UnitKind)[keyof typeof UnitKind];

export interface LedgerUnit {
  /** The published file name; unique, so it is also the unit's id. */
  file: string;
  kind: UnitKind;
  /** When the intent was written (also the file's stamp and manifest createdAt). */
  at: string;
  flow: string;
  format: ExportFormat;
  /** Data rows in the file (exploded rows can outnumber keys). */
  rows: number;
  /** Single-document files: the invoice id, for the manifest. */
  subject?: string;
  /** Idempotency key → line of its first row (records) or 1 (ubl). */
  keys: [string, number][];
}

interface KeyState {
  records?: { file: string; line: number };
  ubl?: string;
}

type LedgerLine =
  ({ t: 'intent' } & LedgerUnit) | { t: 'commit'; file: string } | { t: 'abort'; file: string };

export const LEDGER_FILE = '.fieldsync-outbound-ledger.jsonl';

export class OutboundLedger {
  readonly path: string;
  readonly #pending = new Map<string, LedgerUnit>();
  readonly #committed = new Map<string, LedgerUnit>();
  readonly #byKey = new Map<string, KeyState>();
  #handle: FileHandle | undefined;
  #seq = 0;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(filePath: string) {
    this.path = filePath;
  }

  /** Reads the ledger, drops what is older than the retention (and aborted units), rewrites it compactly. */
  static async open(root: string, options: { retentionMs: number; now?: Date }): Promise<OutboundLedger> {
    const ledger = new OutboundLedger(path.join(root, LEDGER_FILE));
    const text = await readFile(ledger.path, 'utf8').catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT') return '';
      throw error;
    });
    const units = new Map<string, { unit: LedgerUnit; state: 'pending' | 'committed' }>();
    for (const line of text.split('\n')) {
      const entry = parseLine(line);
      if (entry === undefined) continue; // a line torn by a crash mid-append
      if (entry.t === 'intent') {
        const { t: _t, ...unit } = entry;
        units.set(unit.file, { unit, state: 'pending' });
      } else if (entry.t === 'commit') {
        const known = units.get(entry.file);
        if (known) known.state = 'committed';
      } else units.delete(entry.file);
    }
    const cutoff = (options.now ?? new Date()).getTime() - options.retentionMs;
    const kept: string[] = [];
    for (const { unit, state } of units.values()) {
      if (state === 'committed' && Date.parse(unit.at) < cutoff) continue;
      ledger.#remember(unit, state);
      kept.push(JSON.stringify({ t: 'intent', ...unit }));
      if (state === 'committed') kept.push(JSON.stringify({ t: 'commit', file: unit.file }));
    }
    await writeFileAtomic(ledger.path, kept.length === 0 ? '' : `${kept.join('\n')}\n`, { noClobber: false });
    ledger.#handle = await open(ledger.path, 'a');
    return ledger;
  }

  /** Runs `task` with no other ledger task in between (check-then-write of one batch is one step). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  lookup(key: string): KeyState | undefined {
    return this.#byKey.get(key);
  }

  pendingUnits(): LedgerUnit[] {
    return [...this.#pending.values()];
  }

  /** Pending units that hold any of these keys. */
  pendingFor(keys: readonly string[]): LedgerUnit[] {
    if (this.#pending.size === 0) return [];
    const wanted = new Set(keys);
    return this.pendingUnits().filter((unit) => unit.keys.some(([key]) => wanted.has(key)));
  }

  /** A sequence number for the next file name, above every one this ledger remembers. */
  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  async intent(unit: LedgerUnit): Promise<void> {
    await this.#append({ t: 'intent', ...unit });
    this.#pending.set(unit.file, unit);
  }

  async commit(file: string): Promise<void> {
    const unit = this.#pending.get(file);
    if (unit === undefined) return;
    await this.#append({ t: 'commit', file });
    this.#pending.delete(file);
    this.#remember(unit, 'committed');
  }

  async abort(file: string): Promise<void> {
    if (!this.#pending.has(file)) return;
    await this.#append({ t: 'abort', file });
    this.#pending.delete(file);
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  #remember(unit: LedgerUnit, state: 'pending' | 'committed'): void {
    const seq = parseExportFileName(unit.file)?.seq ?? 0;
    if (seq > this.#seq) this.#seq = seq;
    if (state === 'pending') {
      this.#pending.set(unit.file, unit);
      return;
    }
    this.#committed.set(unit.file, unit);
    for (const [key, line] of unit.keys) {
      const known = this.#byKey.get(key) ?? {};
      if (unit.kind === UnitKind.records) known.records ??= { file: unit.file, line };
      else known.ubl ??= unit.file;
      this.#byKey.set(key, known);
    }
  }

  async #append(entry: LedgerLine): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) throw new Error('the outbound ledger is closed');
    await handle.write(`${JSON.stringify(entry)}\n`);
    await handle.datasync();
  }
}

function parseLine(line: string): LedgerLine | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<LedgerUnit> & { t?: unknown };
  if (typeof entry.file !== 'string') return undefined;
  if (entry.t === 'commit' || entry.t === 'abort') return { t: entry.t, file: entry.file };
  if (entry.t !== 'intent' || !Array.isArray(entry.keys) || typeof entry.at !== 'string') return undefined;
  return value as LedgerLine;
}
