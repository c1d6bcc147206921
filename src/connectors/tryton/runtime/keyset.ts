import type { Cursor } from '../../sdk/connector.js';
import type { TrytonClient, TrytonContext, TrytonDomain } from '../transport/index.js';
import { canonicalStamp, parseStamp } from './stamps.js';

/** A record's position in the change order: its stamp COALESCE(write_date, create_date), then its id as text. */
export interface StampedId {
  id: number;
  stamp: string;
}

/**
 * Where change stamps come from. Most entities have one source, the record itself. Some change through a
 * related record whose stamp does not move theirs (a product's name and list price live on its template),
 * so such a source reads the stamps at `stampPrefix` (e.g. `template.`) of the same rows.
 */
export interface StampSource {
  domain: TrytonDomain;
  /** '' for the record's own stamps, or a Many2One path with a trailing dot, e.g. 'template.'. */
  stampPrefix: string;
  /**
   * Stamps read on another model whose records point at this one (the lines of a One2Many, e.g. an
   * asset's depreciation lines, whose posting does not write the asset): each line's stamp counts as a
   * change of the record its `parent` field names. `domain` then applies to that model.
   */
  children?: ChildStamps;
}

/** A model whose records name their parent in `parent` (a Many2One back to the record). */
export interface ChildStamps {
  model: string;
  parent: string;
}

interface Query {
  client: TrytonClient;
  model: string;
  sources: readonly StampSource[];
  context: TrytonContext;
}

const compare = (a: StampedId, b: StampedId): number => {
  if (a.stamp !== b.stamp) return a.stamp < b.stamp ? -1 : 1;
  const x = String(a.id);
  const y = String(b.id);
  return x === y ? 0 : x < y ? -1 : 1;
};

/**
 * Tryton cannot order by COALESCE(write_date, create_date), so the change order is merged from two streams
 * it can order: never-written records by create_date, written ones by write_date (write_date is NULL until
 * the first update, and never earlier than create_date).
 */
async function stream(
  q: Query,
  source: StampSource,
  written: boolean,
  op: '>' | '=' | null,
  at: ReturnType<typeof parseStamp> | null,
  limit: number | null,
): Promise<StampedId[]> {
  const prefix = source.stampPrefix;
  const field = `${prefix}${written ? 'write_date' : 'create_date'}`;
  const parent = source.children?.parent;
  const domain: unknown[] = [
    source.domain,
    written ? [`${prefix}write_date`, '!=', null] : [`${prefix}write_date`, '=', null],
  ];
  if (parent !== undefined) domain.push([parent, '!=', null]);
  if (op !== null && at !== null) domain.push([field, op, at]);
  const rows = await q.client.searchRead<{ id: number } & Record<string, unknown>>(
    source.children?.model ?? q.model,
    domain,
    {
      fields: ['id', field, ...(parent === undefined ? [] : [parent])],
      order: [
        [field, 'ASC'],
        ['id', 'ASC'],
      ],
      limit,
      context: q.context,
    },
  );
  return rows.map((row) => ({
    id: parent === undefined ? row.id : (row[parent] as number),
    stamp: String(valueAt(row, field)),
  }));
}

/** A dotted read ('template.write_date') comes back nested under 'template.'. */
function valueAt(row: Record<string, unknown>, field: string): unknown {
  const dot = field.lastIndexOf('.');
  if (dot === -1) return row[field];
  const nested = row[`${field.slice(0, dot)}.`] as Record<string, unknown> | null | undefined;
  return nested?.[field.slice(dot + 1)];
}

/** The same (stamp, id) reached through two sources is one record version. */
function unique(items: StampedId[]): StampedId[] {
  const sorted = items.sort(compare);
  return sorted.filter((item, i) => i === 0 || compare(sorted[i - 1] as StampedId, item) !== 0);
}

/** Every record stamped exactly `stamp` (a group written by one transaction), in change order. */
async function groupAt(q: Query, stamp: string): Promise<StampedId[]> {
  const at = parseStamp(stamp);
  const parts = await Promise.all(
    q.sources.flatMap((source) => [
      stream(q, source, false, '=', at, null),
      stream(q, source, true, '=', at, null),
    ]),
  );
  return unique(parts.flat());
}

/**
 * The next page of a keyset over (stamp, id-as-text), strictly after `cursor`.
 *
 * Ids compare as text because cursors do (`compareCursor`), so within one stamp '10' comes before '9'.
 * Tryton stamps every record of one transaction alike (a batch create of 500 shares one create_date), so
 * page boundaries routinely fall inside a group. Groups are therefore always fetched whole (ids only), sorted
 * as text, and cut here: a stream that hits its limit sets a horizon, and nothing at or after the horizon
 * is returned except that horizon's complete group.
 */
export async function selectChanged(
  q: Query,
  cursor: Cursor | null,
  limit: number,
): Promise<{ page: StampedId[]; hasMore: boolean }> {
  const start = cursor === null ? null : canonicalStamp(cursor.modifiedAt);
  const at = start === null ? null : parseStamp(start);
  const [current, ...streams] = await Promise.all([
    start === null ? Promise.resolve([]) : groupAt(q, start),
    ...q.sources.flatMap((source) => [
      stream(q, source, false, at === null ? null : '>', at, limit),
      stream(q, source, true, at === null ? null : '>', at, limit),
    ]),
  ]);
  const rest = current.filter((r) => cursor === null || String(r.id) > cursor.id);
  const horizons = streams.filter((s) => s.length >= limit).map((s) => (s[s.length - 1] as StampedId).stamp);
  const horizon = horizons.length === 0 ? null : horizons.reduce((a, b) => (a < b ? a : b));
  let after = streams.flat();
  if (horizon !== null) {
    after = [...after.filter((r) => r.stamp < horizon), ...(await groupAt(q, horizon))];
  }
  const merged = unique([...rest, ...after]);
  return { page: merged.slice(0, limit), hasMore: merged.length > limit || horizon !== null };
}
