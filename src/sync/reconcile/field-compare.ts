import { Decimal } from 'decimal.js';
import { errors } from '../../shared/errors/index.js';
import type { FieldIssue } from '../../shared/errors/index.js';
import { FieldOwner } from '../mapping/index.js';
import type { ReconFieldInput, ReconFieldSpec } from './recon-types.js';

const pathPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const decimalText = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A field spec with the usual defaults: same path on both sides, trimmed, case-sensitive, shared. */
export function reconField(
  name: string,
  overrides: Partial<Omit<ReconFieldSpec, 'name'>> = {},
): ReconFieldSpec {
  return {
    name,
    local: name,
    remote: name,
    trim: true,
    ignoreCase: false,
    decimal: false,
    owner: FieldOwner.shared,
    ...overrides,
  };
}

/** Stable text of any JSON-like value, so objects compare by content and not by key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The comparable form of a value under a field's rules. Absent, null and empty text are all `null`, because
 * an ERP that omits an empty field agrees with a Fieldsync record holding null.
 */
export function normaliseValue(value: unknown, spec: ReconFieldSpec): string | null {
  if (value === undefined || value === null) return null;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else text = stableJson(value);
  if (spec.trim) text = text.trim();
  if (text === '') return null;
  if (spec.decimal && decimalText.test(text)) {
    const d = new Decimal(text);
    return d.isZero() ? '0' : d.toFixed();
  }
  return spec.ignoreCase ? text.toLowerCase() : text;
}

export function valuesEqual(a: unknown, b: unknown, spec: ReconFieldSpec): boolean {
  return normaliseValue(a, spec) === normaliseValue(b, spec);
}

/** A value as stored in a diff row: text as it is, other scalars as text, objects as JSON. */
export function displayValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return stableJson(value);
}

/**
 * The compared fields of a run: the reconciler's defaults, or the caller's selection. A name alone picks a
 * default field (or compares a same-named path on both sides); an object overrides a default's parts.
 */
export function resolveFields(
  defaults: readonly ReconFieldSpec[],
  input: readonly ReconFieldInput[] | undefined,
): ReconFieldSpec[] {
  if (input === undefined) return defaults.map((f) => ({ ...f }));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const owners = new Set<string>(Object.values(FieldOwner));
  const resolved = input.map((entry, index) => {
    const name = typeof entry === 'string' ? entry : entry.name;
    const base = defaults.find((f) => f.name === name) ?? reconField(name);
    const spec: ReconFieldSpec = typeof entry === 'string' ? { ...base } : { ...base, ...entry };
    if (typeof name !== 'string' || name.trim() === '')
      issues.push({ path: [index, 'name'], message: 'a field needs a name' });
    if (seen.has(name)) issues.push({ path: [index, 'name'], message: `field ${name} is listed twice` });
    seen.add(name);
    for (const side of ['local', 'remote'] as const) {
      if (!pathPattern.test(spec[side])) {
        issues.push({ path: [index, side], message: 'must be a dot path such as "site.region"' });
      }
    }
    if (!owners.has(spec.owner)) {
      issues.push({ path: [index, 'owner'], message: `must be one of ${[...owners].join(', ')}` });
    }
    return spec;
  });
  if (resolved.length === 0) issues.push({ path: [], message: 'compare at least one field' });
  if (issues.length > 0) throw errors.validation('invalid reconciliation fields', issues);
  return resolved;
}
