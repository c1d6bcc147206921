import { Decimal } from 'decimal.js';
import { ConnectorError } from '../../sdk/connector-error.js';
import { trytonDate, trytonDateTime, trytonDecimal, trytonTime, trytonTimeDelta } from './typed-values.js';

/** The part of `fields_get` the transport needs. */
export interface TrytonFieldInfo {
  type: string;
  relation?: string;
}
export type TrytonFieldsLookup = (model: string) => Promise<Readonly<Record<string, TrytonFieldInfo>>>;

/**
 * Schema-aware encoding for create/write values, so callers can pass the same plain values `read`
 * returns (decimal strings, 'YYYY-MM-DD', ISO date-times, seconds) and still put typed values on the
 * wire. The rule that matters: a JS number is never sent for a Numeric field unless it is an integer,
 * because Tryton turns 49.9 into Decimal('49.899999999999998578...') and either rejects it for its digits
 * or, worse, stores it when the binary value happens to fit.
 * Values already wrapped (trytonDecimal(...) etc.) pass through untouched; unknown field names are left
 * for Tryton to reject.
 */
export async function coerceValues(
  model: string,
  values: Readonly<Record<string, unknown>>,
  lookup: TrytonFieldsLookup,
): Promise<Record<string, unknown>> {
  const fields = await lookup(model);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const info = fields[name];
    out[name] = info ? await coerceField(model, name, info, value, lookup) : value;
  }
  return out;
}

async function coerceField(
  model: string,
  name: string,
  info: TrytonFieldInfo,
  value: unknown,
  lookup: TrytonFieldsLookup,
): Promise<unknown> {
  if (value === null || value === undefined) return value;
  try {
    switch (info.type) {
      case 'numeric':
        return coerceNumeric(value);
      case 'date':
        return typeof value === 'string' || value instanceof Date ? trytonDate(value) : value;
      case 'datetime':
      case 'timestamp':
        return typeof value === 'string' || value instanceof Date ? trytonDateTime(value) : value;
      case 'time':
        return typeof value === 'string' ? trytonTime(value) : value;
      case 'timedelta':
        return typeof value === 'number' ? trytonTimeDelta(value) : value;
      case 'one2many':
      case 'many2many':
        return info.relation && Array.isArray(value) ? coerceCommands(info.relation, value, lookup) : value;
      default:
        return value;
    }
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    throw new ConnectorError('validation', `Bad value for ${model}.${name}: ${(error as Error).message}`, {
      vendorDetail: { kind: 'encoding', model, field: name, type: info.type },
      cause: error,
    });
  }
}

function coerceNumeric(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return trytonDecimal(String(value));
    throw new RangeError(
      `binary float ${value} for a Numeric field; pass a decimal string or trytonDecimal()`,
    );
  }
  if (typeof value === 'string' || Decimal.isDecimal(value)) return trytonDecimal(value);
  return value;
}

/** One2Many/Many2Many write commands: ['create', [values...]], ['write', ids, values, ...], others as-is. */
async function coerceCommands(
  relation: string,
  commands: unknown[],
  lookup: TrytonFieldsLookup,
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const command of commands) {
    if (!Array.isArray(command) || typeof command[0] !== 'string') {
      out.push(command);
      continue;
    }
    const [action, ...rest] = command as [string, ...unknown[]];
    if (action === 'create' && Array.isArray(rest[0])) {
      const created: unknown[] = [];
      for (const values of rest[0] as unknown[]) {
        created.push(isRecord(values) ? await coerceValues(relation, values, lookup) : values);
      }
      out.push([action, created, ...rest.slice(1)]);
    } else if (action === 'write') {
      // ['write', ids, values, ids, values, ...]
      const pairs: unknown[] = [];
      for (let i = 0; i < rest.length; i += 1) {
        const item = rest[i];
        pairs.push(i % 2 === 1 && isRecord(item) ? await coerceValues(relation, item, lookup) : item);
      }
      out.push([action, ...pairs]);
    } else {
      out.push(command);
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Tryton 6.0 on SQLite reads Boolean fields back as 1/0 (PostgreSQL gives true/false). Normalises
 * top-level Boolean fields of read results so both backends look the same to the connector.
 */
export async function normalizeRecords<R>(
  model: string,
  rows: readonly Record<string, unknown>[],
  lookup: TrytonFieldsLookup,
): Promise<R[]> {
  if (rows.length === 0) return [];
  const fields = await lookup(model);
  const booleans = Object.keys(rows[0] ?? {}).filter((name) => fields[name]?.type === 'boolean');
  if (booleans.length === 0) return rows as R[];
  return rows.map((row) => {
    const copy: Record<string, unknown> = { ...row };
    for (const name of booleans) {
      const value = copy[name];
      if (value === 0 || value === 1) copy[name] = value === 1;
    }
    return copy as R;
  });
}
