/**
 * Spreadsheet formula injection guard (OWASP "CSV Injection"): a cell starting with one of these is
 * prefixed with a single quote so spreadsheet programs show it as text. A cell that already starts with a
 * quote gets one more, so the import side can undo the prefix exactly and round trips stay lossless.
 */
export const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);
const NEUTRALISER = "'";

/** A plain decimal numeral; it cannot be a formula, so numeric columns may emit it as is (e.g. -3.5). */
export const strictDecimalPattern = /^-?\d{1,30}(\.\d{1,30})?$/;

export interface NeutraliseOptions {
  /** The column is declared numeric: strict decimal numerals (including negatives) pass unchanged. */
  numeric?: boolean;
}

export function startsWithFormulaTrigger(value: string): boolean {
  const first = value[0];
  return first !== undefined && FORMULA_TRIGGERS.has(first);
}

export function neutraliseCell(value: string, options: NeutraliseOptions = {}): string {
  if (options.numeric === true && strictDecimalPattern.test(value)) return value;
  const first = value[0];
  if (first === undefined) return value;
  if (FORMULA_TRIGGERS.has(first) || first === NEUTRALISER) return NEUTRALISER + value;
  return value;
}

/** Undoes neutraliseCell. Values from other producers that merely start with a quote are left alone. */
export function restoreCell(value: string): string {
  if (value.length < 2 || value[0] !== NEUTRALISER) return value;
  const second = value[1] as string;
  return FORMULA_TRIGGERS.has(second) || second === NEUTRALISER ? value.slice(1) : value;
}
