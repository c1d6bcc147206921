import type { Kysely } from 'kysely';
import type { ConnectorRecord, ConnectorSession } from '../../connectors/sdk/index.js';
import { isConnectorError } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { storeKpiSamples } from '../kpis/index.js';
import { getPath } from '../mapping/index.js';
import { displayValue, resolveFields, valuesEqual } from './field-compare.js';
import { idKey } from './key-strategy.js';
import { DiffWriter, emptyByKind, getReconRun, insertRun, saveRunState } from './recon-store.js';
import type {
  ReconCounts,
  ReconFieldInput,
  ReconFieldSpec,
  Reconciler,
  ReconPhase,
  ReconProgress,
  ReconReport,
  ReconSummary,
} from './recon-types.js';
import { getReconciler } from './reconciler-registry.js';

export interface RunReconciliationOptions {
  /** Id for the run row, so a caller can hand it out before the run finishes (default: a new id). */
  runId?: string;
  /** Connector name as configured (crosswalk and KPI scope use it). */
  connectorName: string;
  session: ConnectorSession;
  entity: string;
  /** Compared fields; default: the reconciler's. */
  fields?: readonly ReconFieldInput[];
  /** Connector entity to read (default: the reconciler's, e.g. `stock_level`). */
  remoteEntity?: string;
  /** Crosswalk entity of items, for stock keys (default `item`). */
  itemEntity?: string;
  /** Local page size (default 500). */
  pageSize?: number;
  /** Persist counters (and call `onProgress`) every this many records (default 1000) and at each phase. */
  progressEvery?: number;
  onProgress?: (progress: ReconProgress) => void | Promise<void>;
}

/** The local side, held in memory while the ERP side streams past it (see docs: memory bound). */
interface LocalEntry {
  localId: string;
  externalId: string | null;
  values: unknown[];
}

const fieldObject = (fields: readonly ReconFieldSpec[], values: readonly unknown[]) =>
  displayValue(Object.fromEntries(fields.map((f, i) => [f.name, values[i] ?? null])));

function describeError(error: unknown): string {
  if (isConnectorError(error)) return `${error.errorClass}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

class RunState {
  readonly counts: ReconCounts = { compared: 0, matching: 0, differences: 0 };
  readonly summary: ReconSummary;
  #sinceSave = 0;

  constructor(
    private readonly db: Kysely<Database>,
    readonly runId: string,
    remoteEntity: string,
    fields: ReconFieldSpec[],
    private readonly options: Pick<RunReconciliationOptions, 'progressEvery' | 'onProgress'>,
  ) {
    this.summary = {
      remoteEntity,
      fields,
      phase: 'local',
      localLoaded: 0,
      remoteRead: 0,
      skippedAbsent: 0,
      filteredRemote: 0,
      byKind: emptyByKind(),
      accuracy: null,
      kpi: null,
    };
  }

  progress(): ReconProgress {
    const { phase, localLoaded, remoteRead } = this.summary;
    return { runId: this.runId, phase, localLoaded, remoteRead, ...this.counts };
  }

  async save(): Promise<void> {
    this.#sinceSave = 0;
    await saveRunState(this.db, this.runId, { ...this.counts, summary: this.summary });
    await this.options.onProgress?.(this.progress());
  }

  /** Counts one record handled; persists every `progressEvery` records. */
  async tick(): Promise<void> {
    this.#sinceSave += 1;
    if (this.#sinceSave >= (this.options.progressEvery ?? 1000)) await this.save();
  }

  async enter(phase: ReconPhase): Promise<void> {
    this.summary.phase = phase;
    await this.save();
  }
}

async function loadLocalSide(
  db: Kysely<Database>,
  reconciler: Reconciler,
  state: RunState,
  ctx: { connectorName: string; remoteEntity: string; itemEntity: string; pageSize: number },
): Promise<Map<string, LocalEntry>> {
  const load = reconciler.loadLocal;
  if (load === undefined) throw new Error(`no local loader for ${reconciler.entity}`);
  const fields = state.summary.fields;
  const local = new Map<string, LocalEntry>();
  for await (const record of load(db, ctx)) {
    // Two local records on one key (duplicate natural keys) must not hide each other.
    const key = local.has(record.key) ? `local:${record.localId}` : record.key;
    local.set(key, {
      localId: record.localId,
      externalId: record.externalId,
      values: fields.map((f) => getPath(record.fields, f.local)),
    });
    state.summary.localLoaded += 1;
    await state.tick();
  }
  return local;
}

async function compareRemote(
  record: ConnectorRecord,
  reconciler: Reconciler,
  local: Map<string, LocalEntry>,
  state: RunState,
  diffs: DiffWriter,
): Promise<void> {
  const { fields, byKind } = state.summary;
  const counts = state.counts;
  const remoteValues = fields.map((f) => getPath(record.data, f.remote));
  const candidates = reconciler.remoteKeys(record, fields);
  const key = candidates.find((k) => local.has(k));
  const entry = key === undefined ? undefined : local.get(key);
  if (key === undefined || entry === undefined) {
    if (reconciler.absentMeansEqual?.(remoteValues, fields)) {
      state.summary.skippedAbsent += 1;
      return;
    }
    counts.compared += 1;
    counts.differences += 1;
    byKind.missing_here += 1;
    await diffs.add({
      kind: 'missing_here',
      key: candidates[0] ?? idKey(record.externalId),
      localId: null,
      externalId: record.externalId,
      field: null,
      localValue: null,
      erpValue: fieldObject(fields, remoteValues),
    });
    return;
  }
  local.delete(key);
  counts.compared += 1;
  let differing = 0;
  for (const [i, spec] of fields.entries()) {
    if (valuesEqual(entry.values[i], remoteValues[i], spec)) continue;
    differing += 1;
    byKind.value_differs += 1;
    await diffs.add({
      kind: 'value_differs',
      key,
      localId: entry.localId,
      externalId: record.externalId,
      field: spec.name,
      localValue: displayValue(entry.values[i]),
      erpValue: displayValue(remoteValues[i]),
    });
  }
  if (differing === 0) counts.matching += 1;
  else counts.differences += 1;
}

/**
 * Compares one entity in full: the local side is loaded into a map keyed by comparison key, the ERP side
 * streams past it (`readAll`), and what is left in the map is missing in the ERP. Writes a
 * `sync_recon_runs` row (running → completed | failed) with counters updated as it goes, one
 * `sync_recon_diffs` row per difference, and a KPI sample of the accuracy (matching / compared).
 * Invalid options throw `validation` before anything is written; a failure during the run marks the
 * run failed and rethrows.
 */
export async function runReconciliation(
  db: Kysely<Database>,
  options: RunReconciliationOptions,
): Promise<ReconReport> {
  const reconciler = getReconciler(options.entity);
  if (reconciler.loadLocal === undefined) {
    throw errors.validation(`reconciliation of ${reconciler.entity} is not available yet: no local reader`, [
      { path: ['entity'], message: 'the owning module does not offer a reader of its records yet' },
    ]);
  }
  if (options.connectorName.trim() === '') {
    throw errors.validation('connectorName is required', [{ path: ['connectorName'], message: 'required' }]);
  }
  const fields = resolveFields(reconciler.defaultFields, options.fields);
  const remoteEntity = options.remoteEntity ?? reconciler.remoteEntity;
  const runId = options.runId ?? newId();
  const state = new RunState(db, runId, remoteEntity, fields, options);
  await insertRun(db, {
    id: runId,
    connector: options.connectorName,
    entity: reconciler.entity,
    startedAt: nowIso(),
    summary: state.summary,
  });
  const diffs = new DiffWriter(db, runId);
  try {
    await state.enter('local');
    const local = await loadLocalSide(db, reconciler, state, {
      connectorName: options.connectorName,
      remoteEntity,
      itemEntity: options.itemEntity ?? 'item',
      pageSize: options.pageSize ?? 500,
    });
    await state.enter('remote');
    for await (const record of options.session.readAll(remoteEntity)) {
      state.summary.remoteRead += 1;
      if (reconciler.remoteFilter && !reconciler.remoteFilter(record)) state.summary.filteredRemote += 1;
      else await compareRemote(record, reconciler, local, state, diffs);
      await state.tick();
    }
    await state.enter('leftover');
    for (const [key, entry] of local) {
      if (reconciler.absentMeansEqual?.(entry.values, fields)) {
        state.summary.skippedAbsent += 1;
        continue;
      }
      state.counts.compared += 1;
      state.counts.differences += 1;
      state.summary.byKind.missing_there += 1;
      await diffs.add({
        kind: 'missing_there',
        key,
        localId: entry.localId,
        externalId: entry.externalId,
        field: null,
        localValue: fieldObject(fields, entry.values),
        erpValue: null,
      });
    }
    local.clear();
    await diffs.flush();
    const finishedAt = nowIso();
    const { compared, matching } = state.counts;
    state.summary.accuracy = compared === 0 ? 1 : matching / compared;
    state.summary.kpi = { name: reconciler.kpi.name, scope: reconciler.kpi.scope(options.connectorName) };
    state.summary.phase = 'done';
    await saveRunState(db, runId, {
      ...state.counts,
      summary: state.summary,
      status: 'completed',
      finishedAt,
    });
    await storeKpiSamples(db, [{ at: finishedAt, ...state.summary.kpi, value: state.summary.accuracy }]);
    await options.onProgress?.(state.progress());
  } catch (error) {
    await diffs.flush().catch(() => undefined);
    await saveRunState(db, runId, {
      ...state.counts,
      summary: state.summary,
      status: 'failed',
      finishedAt: nowIso(),
      error: describeError(error),
    });
    throw error;
  }
  return getReconRun(db, runId);
}
