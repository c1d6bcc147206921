import { ConnectorError } from '../../sdk/connector-error.js';
import { assertLayout, type ColumnLayout, type ColumnSpec } from '../column-layout.js';
import { strictDecimalPattern } from '../csv-cell.js';
import type { ExportFormat } from '../manifest.js';
import { serializerFor, type RecordSerializer } from '../writers/index.js';
import type { EntitySettings, ExplodeSpec } from './config.js';
import { UBL_SOURCE_FIELDS } from './ubl-input.js';

/** A row as the serialiser sees it: the mapped payload, or the payload plus one exploded list element. */
export type Row = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * The rows one op contributes: its payload, or one row per element of the configured lists (in list
 * order) carrying the payload's other fields. With UBL on, `invoice`/`document` (its source) never become columns.
 */
export function rowsOf(payload: Record<string, unknown>, settings: EntitySettings): Row[] {
  const skip = new Set<string>(settings.ubl ? UBL_SOURCE_FIELDS : []);
  for (const spec of settings.explode ?? []) skip.add(spec.from);
  const base: Row = {};
  for (const [key, value] of Object.entries(payload)) if (!skip.has(key)) base[key] = value;
  if (settings.explode === undefined) return [base];
  const rows: Row[] = [];
  for (const spec of settings.explode) rows.push(...explode(payload, base, spec));
  return rows;
}

function explode(payload: Record<string, unknown>, base: Row, spec: ExplodeSpec): Row[] {
  const list = payload[spec.from];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    throw new ConnectorError(
      'validation',
      `payload field "${spec.from}" must be a list to give one row per element`,
    );
  }
  return list.map((element: unknown) => ({
    ...base,
    [spec.as]: element,
    ...(spec.type !== undefined && { row_type: spec.type }),
  }));
}

function leafPaths(value: unknown, prefix: string, out: string[]): void {
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value))
      leafPaths(child, prefix === '' ? key : `${prefix}.${key}`, out);
    return;
  }
  if (prefix !== '') out.push(prefix);
}

/**
 * Columns from the rows themselves when no layout is configured: every leaf path, merged across rows so
 * a field first seen on a later row lands after its predecessor (the mapping's order is kept).
 */
export function derivedLayout(rows: readonly Row[]): ColumnSpec[] {
  const columns: string[] = [];
  for (const row of rows) {
    const paths: string[] = [];
    leafPaths(row, '', paths);
    let last = -1;
    for (const p of paths) {
      const at = columns.indexOf(p);
      if (at === -1) {
        columns.splice(last + 1, 0, p);
        last += 1;
      } else last = at;
    }
  }
  return columns.map((field) => ({ field, header: field }));
}

function valueAt(row: Row, fieldPath: string): unknown {
  let current: unknown = row;
  for (const part of fieldPath.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** Numbers stay numbers in CSV (negative quantities unguarded) when every value of the column is one. */
function looksNumeric(rows: readonly Row[], field: string): boolean {
  let seen = false;
  for (const row of rows) {
    const value = valueAt(row, field);
    if (value === undefined || value === null) continue;
    seen = true;
    if (typeof value === 'number' || typeof value === 'bigint') continue;
    if (typeof value === 'string' && strictDecimalPattern.test(value)) continue;
    return false;
  }
  return seen;
}

/** The layout of one file: configured or derived, with `numeric` decided from the data where not set. */
export function layoutFor(settings: EntitySettings, rows: readonly Row[]): ColumnLayout {
  const columns: ColumnSpec[] = settings.layout ?? derivedLayout(rows);
  if (columns.length === 0) {
    throw new ConnectorError('validation', 'the records have no fields to write; check the flow mapping');
  }
  const layout = columns.map((column) => ({
    field: column.field,
    header: column.header,
    numeric: column.numeric ?? looksNumeric(rows, column.field),
  }));
  assertLayout(layout);
  return layout;
}

export interface FileShape {
  format: ExportFormat;
  flow: string;
  layout: ColumnLayout;
  csv?: EntitySettings['csv'];
}

export function serializerOf(shape: FileShape): RecordSerializer {
  return serializerFor({
    format: shape.format,
    layout: shape.layout,
    flow: shape.flow,
    csv: shape.csv ?? {},
  });
}

const newlines = (text: string): number => {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
};

/**
 * Serialises each op's rows on their own, so one op whose value cannot be written fails alone (its error
 * names the column), and computes the 1-based line each op's first row will start on in the file.
 */
export function checkOpRows(
  shape: FileShape,
  opRows: readonly (readonly Row[])[],
): { lines: (number | undefined)[]; errors: (string | undefined)[] } {
  const serializer = serializerOf(shape);
  let line = 1 + newlines(serializer.begin());
  const lines: (number | undefined)[] = [];
  const errors: (string | undefined)[] = [];
  for (const rows of opRows) {
    try {
      const chunk = serializer.records(rows, 0);
      lines.push(rows.length === 0 ? undefined : line);
      errors.push(undefined);
      line += newlines(chunk);
    } catch (error) {
      lines.push(undefined);
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { lines, errors };
}
