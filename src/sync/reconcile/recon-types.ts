import type { Kysely } from 'kysely';
import type { ConnectorRecord } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import type { FieldOwner } from '../mapping/index.js';

/** The entity kinds reconciliation knows, one reconciler each (see `reconciler-registry.ts`). */
export const ReconEntity = {
  customer: 'customer',
  item: 'item',
  stock: 'stock',
  billingDocument: 'billing_document',
} as const;
export type ReconEntity = (typeof ReconEntity)[keyof typeof ReconEntity];

export const DiffKind = {
  /** The ERP has the record, Fieldsync does not. */
  missingHere: 'missing_here',
  /** Fieldsync has the record, the ERP does not. */
  missingThere: 'missing_there',
  /** Both have it; one compared field disagrees (one diff row per field). */
  valueDiffers: 'value_differs',
} as const;
export type DiffKind = (typeof DiffKind)[keyof typeof DiffKind];
export const diffKinds: readonly DiffKind[] = Object.values(DiffKind);

export const ReconRunStatus = { running: 'running', completed: 'completed', failed: 'failed' } as const;
export type ReconRunStatus = (typeof ReconRunStatus)[keyof typeof ReconRunStatus];

/** One compared field: where it lives on each side and how values are normalised before comparing. */
export interface ReconFieldSpec {
  /** Name in reports and in `fields` selections. */
  name: string;
  /** Dot path in the local record. */
  local: string;
  /** Dot path in the ERP record's `data`. */
  remote: string;
  /** Ignore leading/trailing white space. */
  trim: boolean;
  /** Compare case-insensitively (e-mail addresses, codes typed by hand). */
  ignoreCase: boolean;
  /** Compare as decimals: "10.0" equals "10" and 10. */
  decimal: boolean;
  /** Which side is the source of truth; a difference on an ERP-owned field is not pushed back. */
  owner: FieldOwner;
}

/** A field selection: a known field's name, or a spec (missing parts come from the default or the name). */
export type ReconFieldInput = string | (Partial<ReconFieldSpec> & { name: string });

/** One record of the Fieldsync side, as a reconciler's `loadLocal` yields it. */
export interface LocalRecord {
  /** Comparison key: `id:<erp id>` from the crosswalk, else a natural key (`code:…`, `sku:…`), else `local:<id>`. */
  key: string;
  localId: string;
  externalId: string | null;
  /** The local record (or the part of it the compared fields read). */
  fields: Record<string, unknown>;
}

export interface LocalLoadContext {
  connectorName: string;
  /** Connector entity, also the crosswalk entity of this reconciler's records. */
  remoteEntity: string;
  /** Crosswalk entity of items, for stock keys. */
  itemEntity: string;
  pageSize: number;
}

export interface ResyncCorrection {
  /** `<eventEntity>.resync` is emitted with subject `<eventEntity>/<id>`. */
  eventEntity: string;
  /** Key of the record in the event data (`{ customer }`), the same shape as the entity's own events. */
  dataKey: string;
  load(executor: Executor, localId: string): Promise<unknown>;
}

/** A stored difference, as corrections and the API see it. */
export interface ReconDiff {
  id: number;
  runId: string;
  kind: DiffKind;
  key: string;
  localId: string | null;
  externalId: string | null;
  field: string | null;
  localValue: string | null;
  erpValue: string | null;
  correctedAt: string | null;
}

export interface Reconciler {
  entity: ReconEntity;
  description: string;
  /** Connector entity read by default. */
  remoteEntity: string;
  defaultFields: readonly ReconFieldSpec[];
  /** Absent until the module owning the records offers a reader; a run then fails with `validation`. */
  loadLocal?: (db: Kysely<Database>, ctx: LocalLoadContext) => AsyncIterable<LocalRecord>;
  /** Candidate keys of an ERP record, best first: the crosswalk form, then natural keys. */
  remoteKeys(record: ConnectorRecord, fields: readonly ReconFieldSpec[]): string[];
  /** ERP records outside the compared population (e.g. paid invoices when comparing open ones). */
  remoteFilter?: (record: ConnectorRecord) => boolean;
  /** A record present on one side only that still agrees with the other (stock: quantity 0 = no row). */
  absentMeansEqual?: (values: readonly unknown[], fields: readonly ReconFieldSpec[]) => boolean;
  /** Corrections of `missing_there` / `value_differs` by re-sending our record through the outbound flow. */
  resync?: ResyncCorrection;
  /** Corrections of `value_differs` by changing our side (stock: a count adjustment); returns a reference. */
  adjustLocal?: (uow: UnitOfWork, diff: ReconDiff, ctx: { runId: string }) => Promise<string>;
  /** KPI sample written after each completed run. */
  kpi: { name: string; scope(connectorName: string): string };
}

export type ReconPhase = 'local' | 'remote' | 'leftover' | 'done';

export interface ReconCounts {
  /** Keys seen on either side (pairs for stock), after skipping records absent-but-equal. */
  compared: number;
  matching: number;
  /** Keys with at least one difference (a record with two differing fields counts once). */
  differences: number;
}

export interface ReconProgress extends ReconCounts {
  runId: string;
  phase: ReconPhase;
  localLoaded: number;
  remoteRead: number;
}

export interface ReconSummary {
  remoteEntity: string;
  fields: ReconFieldSpec[];
  phase: ReconPhase;
  localLoaded: number;
  remoteRead: number;
  /** Records on one side only that count as equal (e.g. stock 0 here, no row there). */
  skippedAbsent: number;
  /** ERP records outside the population (`remoteFilter`). */
  filteredRemote: number;
  /** Diff rows per kind. */
  byKind: Record<DiffKind, number>;
  /** matching / compared (1 when nothing was compared); set when the run completed. */
  accuracy: number | null;
  kpi: { name: string; scope: string } | null;
}

export interface ReconRun extends ReconCounts {
  id: string;
  connector: string;
  entity: string;
  status: ReconRunStatus;
  startedAt: string;
  finishedAt: string | null;
  accuracy: number | null;
  summary: ReconSummary;
  error: string | null;
}

/** What `runReconciliation` returns: the finished run. */
export type ReconReport = ReconRun;
