import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { errors } from '../../shared/errors/index.js';
import type { SyncReconDiffsTable, SyncReconRunsTable } from '../store/tables.js';
import type {
  DiffKind,
  ReconCounts,
  ReconDiff,
  ReconRun,
  ReconRunStatus,
  ReconSummary,
} from './recon-types.js';
import { diffKinds } from './recon-types.js';

export const emptyByKind = (): Record<DiffKind, number> => ({
  missing_here: 0,
  missing_there: 0,
  value_differs: 0,
});

function parseSummary(text: string): ReconSummary {
  const parsed = JSON.parse(text) as Partial<ReconSummary>;
  return {
    remoteEntity: parsed.remoteEntity ?? '',
    fields: parsed.fields ?? [],
    phase: parsed.phase ?? 'local',
    localLoaded: parsed.localLoaded ?? 0,
    remoteRead: parsed.remoteRead ?? 0,
    skippedAbsent: parsed.skippedAbsent ?? 0,
    filteredRemote: parsed.filteredRemote ?? 0,
    byKind: { ...emptyByKind(), ...parsed.byKind },
    accuracy: parsed.accuracy ?? null,
    kpi: parsed.kpi ?? null,
  };
}

function runFromRow(row: Selectable<SyncReconRunsTable>): ReconRun {
  const summary = parseSummary(row.summary);
  return {
    id: row.id,
    connector: row.connector,
    entity: row.entity,
    status: row.status as ReconRunStatus,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    compared: Number(row.compared),
    matching: Number(row.matching),
    differences: Number(row.differences),
    accuracy: summary.accuracy,
    summary,
    error: row.error,
  };
}

function diffFromRow(row: Selectable<SyncReconDiffsTable>): ReconDiff {
  return {
    id: Number(row.id),
    runId: row.run_id,
    kind: row.kind as DiffKind,
    key: row.key,
    localId: row.local_id,
    externalId: row.external_id,
    field: row.field,
    localValue: row.local_value,
    erpValue: row.erp_value,
    correctedAt: row.corrected_at,
  };
}

export async function insertRun(
  db: Kysely<Database>,
  run: { id: string; connector: string; entity: string; startedAt: string; summary: ReconSummary },
): Promise<void> {
  await db
    .insertInto('sync_recon_runs')
    .values({
      id: run.id,
      connector: run.connector,
      entity: run.entity,
      status: 'running',
      started_at: run.startedAt,
      compared: 0,
      matching: 0,
      differences: 0,
      summary: JSON.stringify(run.summary),
    })
    .execute();
}

export async function saveRunState(
  db: Kysely<Database>,
  id: string,
  state: ReconCounts & {
    summary: ReconSummary;
    status?: ReconRunStatus;
    finishedAt?: string;
    error?: string;
  },
): Promise<void> {
  await db
    .updateTable('sync_recon_runs')
    .set({
      compared: state.compared,
      matching: state.matching,
      differences: state.differences,
      summary: JSON.stringify(state.summary),
      ...(state.status !== undefined && { status: state.status }),
      ...(state.finishedAt !== undefined && { finished_at: state.finishedAt }),
      ...(state.error !== undefined && { error: state.error }),
    })
    .where('id', '=', id)
    .execute();
}

export type NewDiff = Omit<ReconDiff, 'id' | 'runId' | 'correctedAt'>;

/** Buffers diff rows and writes them in multi-row inserts, so a large run is not one insert per row. */
export class DiffWriter {
  readonly #buffer: NewDiff[] = [];
  constructor(
    private readonly db: Kysely<Database>,
    private readonly runId: string,
    private readonly batchSize = 200,
  ) {}

  async add(diff: NewDiff): Promise<void> {
    this.#buffer.push(diff);
    if (this.#buffer.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const rows = this.#buffer.splice(0, this.#buffer.length).map((d) => ({
      run_id: this.runId,
      kind: d.kind,
      key: d.key,
      local_id: d.localId,
      external_id: d.externalId,
      field: d.field,
      local_value: d.localValue,
      erp_value: d.erpValue,
    }));
    await this.db.insertInto('sync_recon_diffs').values(rows).execute();
  }
}

export interface ReconRunFilter {
  connector?: string;
  entity?: string;
  status?: ReconRunStatus;
}

/** Runs newest first; `afterId` continues after the last run of the previous page (ids are UUIDv7). */
export async function listReconRuns(
  db: Kysely<Database>,
  filter: ReconRunFilter = {},
  page: { limit: number; afterId?: string } = { limit: 50 },
): Promise<{ data: ReconRun[]; nextAfterId: string | null }> {
  let query = db
    .selectFrom('sync_recon_runs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (filter.connector) query = query.where('connector', '=', filter.connector);
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (page.afterId) query = query.where('id', '<', page.afterId);
  const rows = await query.execute();
  const data = rows.slice(0, page.limit).map(runFromRow);
  return { data, nextAfterId: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

export async function getReconRun(db: Kysely<Database>, id: string): Promise<ReconRun> {
  const row = await db.selectFrom('sync_recon_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound('reconciliation run', id);
  return runFromRow(row);
}

export interface ReconDiffFilter {
  kind?: DiffKind;
  /** true: only corrected; false: only not yet corrected. */
  corrected?: boolean;
}

/** Diffs of a run in the order they were found; an unknown run is a 404. */
export async function listReconDiffs(
  db: Kysely<Database>,
  runId: string,
  filter: ReconDiffFilter = {},
  page: { limit: number; afterId?: number } = { limit: 100 },
): Promise<{ data: ReconDiff[]; nextAfterId: number | null }> {
  if (filter.kind !== undefined && !diffKinds.includes(filter.kind)) {
    throw errors.validation(`unknown diff kind ${String(filter.kind)}`, [
      { path: ['kind'], message: `must be one of ${diffKinds.join(', ')}` },
    ]);
  }
  const run = await db.selectFrom('sync_recon_runs').select('id').where('id', '=', runId).executeTakeFirst();
  if (!run) throw errors.notFound('reconciliation run', runId);
  let query = db
    .selectFrom('sync_recon_diffs')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id')
    .limit(page.limit + 1);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.corrected === true) query = query.where('corrected_at', 'is not', null);
  if (filter.corrected === false) query = query.where('corrected_at', 'is', null);
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  const rows = await query.execute();
  const data = rows.slice(0, page.limit).map(diffFromRow);
  return { data, nextAfterId: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

export async function markDiffsCorrected(
  db: Kysely<Database>,
  ids: readonly number[],
  at: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('sync_recon_diffs')
    .set({ corrected_at: at })
    .where('id', 'in', [...ids])
    .where('corrected_at', 'is', null)
    .execute();
}
