import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { errors } from '../../shared/errors/index.js';
import type { FieldIssue } from '../../shared/errors/index.js';
import { ALL_SCOPE } from './kpi-names.js';

export const MAX_SERIES_POINTS = 5000;

export interface KpiSeriesOptions {
  name: string;
  /** Default `all`. */
  scope?: string;
  from: string | Date;
  to: string | Date;
  bucketSeconds: number;
  /** How samples in one bucket become its `value` (default avg). */
  aggregate?: 'avg' | 'min' | 'max' | 'last';
}

export interface KpiPoint {
  /** Bucket start; buckets align to multiples of bucketSeconds since the epoch. */
  at: string;
  /** null when the bucket has no sample, so a chart shows a gap rather than a false 0. */
  value: number | null;
  min: number | null;
  max: number | null;
  samples: number;
}

export interface KpiSeries {
  name: string;
  scope: string;
  bucketSeconds: number;
  from: string;
  to: string;
  points: KpiPoint[];
}

function instant(value: string | Date, path: string, issues: FieldIssue[]): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) issues.push({ path: [path], message: 'must be an ISO-8601 date-time' });
  return ms;
}

interface Bucket {
  sum: number;
  min: number;
  max: number;
  last: number;
  n: number;
}

/**
 * Chart-ready points of one KPI over [from, to): one point per bucket, every bucket present. Samples are
 * read in keyset pages, so a long range does not load in one query.
 */
export async function kpiSeries(db: Kysely<Database>, options: KpiSeriesOptions): Promise<KpiSeries> {
  const issues: FieldIssue[] = [];
  const fromMs = instant(options.from, 'from', issues);
  const toMs = instant(options.to, 'to', issues);
  const bucketMs = options.bucketSeconds * 1000;
  if (!Number.isInteger(options.bucketSeconds) || options.bucketSeconds < 1) {
    issues.push({ path: ['bucketSeconds'], message: 'must be a whole number of seconds, at least 1' });
  }
  if (issues.length === 0 && fromMs >= toMs) issues.push({ path: ['to'], message: 'must be after from' });
  const firstBucket = Math.floor(fromMs / bucketMs) * bucketMs;
  const count = Math.ceil((toMs - firstBucket) / bucketMs);
  if (issues.length === 0 && count > MAX_SERIES_POINTS) {
    issues.push({ path: ['bucketSeconds'], message: `gives ${count} points; at most ${MAX_SERIES_POINTS}` });
  }
  if (issues.length > 0) throw errors.validation('invalid KPI series request', issues);

  const scope = options.scope ?? ALL_SCOPE;
  // Whole buckets: the first one starts at or before `from`.
  const from = new Date(firstBucket).toISOString();
  const to = new Date(toMs).toISOString();
  const buckets = new Map<number, Bucket>();
  let after: { at: string; id: number } | undefined;
  for (;;) {
    let query = db
      .selectFrom('sync_kpi_samples')
      .select(['id', 'at', 'value'])
      .where('name', '=', options.name)
      .where('scope', '=', scope)
      .where('at', '>=', from)
      .where('at', '<', to)
      .orderBy('at')
      .orderBy('id')
      .limit(5000);
    if (after) {
      const { at, id } = after;
      query = query.where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]));
    }
    const rows = await query.execute();
    for (const row of rows) {
      const index = Math.floor((Date.parse(row.at) - firstBucket) / bucketMs);
      const value = Number(row.value);
      const b = buckets.get(index);
      if (!b) buckets.set(index, { sum: value, min: value, max: value, last: value, n: 1 });
      else {
        b.sum += value;
        b.min = Math.min(b.min, value);
        b.max = Math.max(b.max, value);
        b.last = value;
        b.n += 1;
      }
    }
    const last = rows.at(-1);
    if (rows.length < 5000 || !last) break;
    after = { at: last.at, id: Number(last.id) };
  }

  const aggregate = options.aggregate ?? 'avg';
  const points: KpiPoint[] = [];
  for (let i = 0; i < count; i += 1) {
    const b = buckets.get(i);
    const at = new Date(firstBucket + i * bucketMs).toISOString();
    if (!b) {
      points.push({ at, value: null, min: null, max: null, samples: 0 });
      continue;
    }
    const value =
      aggregate === 'avg' ? b.sum / b.n : aggregate === 'min' ? b.min : aggregate === 'max' ? b.max : b.last;
    points.push({ at, value, min: b.min, max: b.max, samples: b.n });
  }
  return { name: options.name, scope, bucketSeconds: options.bucketSeconds, from, to, points };
}

/** Scopes that have samples of a KPI (for a console's series picker). */
export async function listKpiScopes(db: Kysely<Database>, name: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sync_kpi_samples')
    .select('scope')
    .distinct()
    .where('name', '=', name)
    .orderBy('scope')
    .execute();
  return rows.map((r) => r.scope);
}
