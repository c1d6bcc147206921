import { FileExchangeError, FileRefusal } from './file-exchange-error.js';

/**
 * One output column of a flow's file: where the value comes from in the mapped record (a dotted path)
 * and what the column (CSV header, JSON key, XML element) is called. The layout comes from the flow's
 * mapping; default-layouts.ts has starting points.
 */
export interface ColumnSpec {
  field: string;
  header: string;
  /** Strict decimal numerals in this column are written as is, so negative quantities stay numbers. */
  numeric?: boolean;
}
export type ColumnLayout = readonly ColumnSpec[];

/** Names usable as XML element names and JSON keys alike, without surprises. */
const headerPattern = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;

export function assertLayout(layout: ColumnLayout): void {
  if (layout.length === 0) throw new FileExchangeError(FileRefusal.invalidLayout, 'column layout is empty');
  const seen = new Set<string>();
  for (const column of layout) {
    if (!headerPattern.test(column.header) || /^xml/i.test(column.header)) {
      throw new FileExchangeError(
        FileRefusal.invalidLayout,
        `column header "${column.header}" is not a valid name`,
        {
          header: column.header,
        },
      );
    }
    if (seen.has(column.header)) {
      throw new FileExchangeError(
        FileRefusal.invalidLayout,
        `column header "${column.header}" appears twice`,
        { header: column.header },
      );
    }
    if (column.field.length === 0 || column.field.split('.').some((part) => part.length === 0)) {
      throw new FileExchangeError(
        FileRefusal.invalidLayout,
        `column "${column.header}" has an empty field path`,
      );
    }
    seen.add(column.header);
  }
}

function lookup(record: unknown, fieldPath: string): unknown {
  let current: unknown = record;
  for (const part of fieldPath.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Converts one value to the text that goes into a file; null means "no value". */
export function cellText(value: unknown, header: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new FileExchangeError(
        FileRefusal.unrepresentableValue,
        `column ${header}: ${value} is not a finite number`,
        { header },
      );
    }
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new FileExchangeError(FileRefusal.unrepresentableValue, `column ${header}: invalid date`, {
        header,
      });
    return value.toISOString();
  }
  throw new FileExchangeError(
    FileRefusal.unrepresentableValue,
    `column ${header}: a ${Array.isArray(value) ? 'list' : typeof value} cannot go into one cell; map it to text first`,
    { header },
  );
}

/** The record's cells in layout order. */
export function projectRecord(record: unknown, layout: ColumnLayout): (string | null)[] {
  return layout.map((column) => cellText(lookup(record, column.field), column.header));
}
