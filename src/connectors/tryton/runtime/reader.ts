import type { ChangePage, ConnectorRecord, Cursor } from '../../sdk/connector.js';
import { ConnectorError, isConnectorError } from '../../sdk/connector-error.js';
import type { TrytonDomain } from '../transport/index.js';
import { selectChanged } from './keyset.js';
import type { ChildStamps, StampedId } from './keyset.js';
import type { TrytonRuntime } from './runtime.js';
import { includeInactive } from './runtime.js';
import { stampOf } from './stamps.js';

export type Row = { id: number } & Record<string, unknown>;

/** How one entity is read: which model and records, which fields, and how a row becomes record data. */
export interface ReadSpec {
  model: string;
  /** Which records of the model belong to the entity (default: all, archived ones included). */
  domain: TrytonDomain;
  fields: readonly string[];
  /** Extra stamp paths whose changes count as changes of the record (e.g. 'template.' for products). */
  stampPrefixes?: readonly string[];
  /**
   * Models whose records' changes count as changes of the record they point at (an asset's lines). Their
   * records are not filtered by `domain`: only for entities whose domain takes every record of the model.
   */
  childStamps?: readonly ChildStamps[];
  /** Rows → data, in the same order; may look up related records for the whole page at once. */
  toData(
    rows: readonly Row[],
    rt: TrytonRuntime,
  ): Promise<Record<string, unknown>[]> | Record<string, unknown>[];
}

async function readRows(
  rt: TrytonRuntime,
  spec: ReadSpec,
  ids: readonly number[],
): Promise<Map<number, Row>> {
  const fields = [...new Set([...spec.fields, 'create_date', 'write_date'])];
  let rows: Row[];
  try {
    rows = await rt.client.read<Row>(spec.model, ids, fields, { context: includeInactive });
  } catch (error) {
    // A record deleted between the key query and this read: read the survivors only.
    if (!isConnectorError(error) || error.errorClass !== 'validation') throw error;
    const alive = await rt.client.search(spec.model, [['id', 'in', ids]], { context: includeInactive });
    rows =
      alive.length === 0
        ? []
        : await rt.client.read<Row>(spec.model, alive, fields, { context: includeInactive });
  }
  return new Map(rows.map((row) => [row.id, row]));
}

async function toRecords(
  rt: TrytonRuntime,
  spec: ReadSpec,
  keys: readonly StampedId[],
): Promise<ConnectorRecord[]> {
  if (keys.length === 0) return [];
  const rows = await readRows(
    rt,
    spec,
    keys.map((k) => k.id),
  );
  const present = keys.filter((k) => rows.has(k.id));
  const data = await spec.toData(
    present.map((k) => rows.get(k.id) as Row),
    rt,
  );
  // The stamp of the key query is the record's position; a later edit shows up again with a later stamp.
  return present.map((k, i) => ({ externalId: String(k.id), modifiedAt: k.stamp, data: data[i] ?? {} }));
}

export async function readChangesWith(
  rt: TrytonRuntime,
  spec: ReadSpec,
  cursor: Cursor | null,
  limit: number,
  maxLimit: number,
): Promise<ChangePage> {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new ConnectorError('validation', `limit must be an integer within 1..${maxLimit}`);
  }
  if (cursor !== null && (typeof cursor !== 'object' || typeof cursor.id !== 'string')) {
    throw new ConnectorError('cursor_invalid', 'cursor must be { modifiedAt, id }');
  }
  const { page, hasMore } = await selectChanged(
    {
      client: rt.client,
      model: spec.model,
      sources: [
        ...['', ...(spec.stampPrefixes ?? [])].map((stampPrefix) => ({ domain: spec.domain, stampPrefix })),
        ...(spec.childStamps ?? []).map((children) => ({ domain: [], stampPrefix: '', children })),
      ],
      context: includeInactive,
    },
    cursor,
    limit,
  );
  const records = await toRecords(rt, spec, page);
  const last = page[page.length - 1];
  return {
    records,
    nextCursor: last === undefined ? cursor : { modifiedAt: last.stamp, id: String(last.id) },
    hasMore,
  };
}

/** The given records as they are now (`readRecords`); ids that are gone, or not of this entity, are left out. */
export async function readByIdsWith(
  rt: TrytonRuntime,
  spec: ReadSpec,
  externalIds: readonly string[],
): Promise<ConnectorRecord[]> {
  const ids = [...new Set(externalIds.map(Number))];
  const bad = externalIds.find((id) => !/^[1-9]\d*$/.test(id));
  if (bad !== undefined) throw new ConnectorError('validation', `"${bad}" is not a Tryton id`);
  if (ids.length === 0) return [];
  const mine = await rt.client.search(spec.model, [spec.domain, ['id', 'in', ids]], {
    context: includeInactive,
  });
  const rows = mine.length === 0 ? new Map<number, Row>() : await readRows(rt, spec, mine);
  const present = ids.flatMap((id) => {
    const row = rows.get(id);
    return row === undefined ? [] : [row];
  });
  const data = await spec.toData(present, rt);
  return present.map((row, i) => ({
    externalId: String(row.id),
    modifiedAt: stampOf(row),
    data: data[i] ?? {},
  }));
}

/** Every record, paged by id (a keyset, so concurrent inserts neither shift nor repeat pages). */
export async function* readAllWith(rt: TrytonRuntime, spec: ReadSpec): AsyncIterable<ConnectorRecord> {
  const fields = [...new Set([...spec.fields, 'id', 'create_date', 'write_date'])];
  let lastId = 0;
  for (;;) {
    const rows = await rt.client.searchRead<Row>(spec.model, [spec.domain, ['id', '>', lastId]], {
      fields,
      order: [['id', 'ASC']],
      limit: rt.config.pageSize,
      context: includeInactive,
    });
    if (rows.length === 0) return;
    const data = await spec.toData(rows, rt);
    for (const [i, row] of rows.entries()) {
      yield { externalId: String(row.id), modifiedAt: stampOf(row), data: data[i] ?? {} };
    }
    if (rows.length < rt.config.pageSize) return;
    lastId = (rows[rows.length - 1] as Row).id;
  }
}
