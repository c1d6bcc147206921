import type { ConnectorRecord } from '../../connectors/sdk/index.js';
import { getPath } from '../mapping/index.js';
import type { ReconFieldSpec } from './recon-types.js';

/**
 * Comparison keys. Both sides must produce the same string for the same real-world record:
 * - `id:<erp id>` when the crosswalk links the local record to an ERP record (the ERP record's own id
 *   gives the same key on the other side);
 * - `<prefix>:<value>` from a natural key (customer code, item SKU) when there is no crosswalk entry;
 * - `local:<id>` otherwise, which can only surface as `missing_there`.
 * An ERP record tries its candidates in that order and matches the first key the local side holds.
 */
export const idKey = (externalId: string): string => `id:${externalId}`;

export function naturalKey(prefix: string, value: unknown): string | null {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  return text === '' ? null : `${prefix}:${text}`;
}

export function localKey(entry: {
  externalId: string | null;
  natural: string | null;
  localId: string;
}): string {
  if (entry.externalId) return idKey(entry.externalId);
  return entry.natural ?? `local:${entry.localId}`;
}

/** Where the natural key lives in ERP records: the compared field of that name, else the same name. */
export function naturalRemotePath(fields: readonly ReconFieldSpec[], name: string): string {
  return fields.find((f) => f.name === name)?.remote ?? name;
}

/** Candidate keys of an ERP record for a reconciler keyed by crosswalk id, then one natural key. */
export function remoteKeysWithNatural(
  record: ConnectorRecord,
  fields: readonly ReconFieldSpec[],
  natural: { prefix: string; field: string },
): string[] {
  const keys = [idKey(record.externalId)];
  const key = naturalKey(natural.prefix, getPath(record.data, naturalRemotePath(fields, natural.field)));
  if (key !== null) keys.push(key);
  return keys;
}
