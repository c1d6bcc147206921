import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** JSON with object keys sorted, so equal values always give equal text. `undefined` gives null (no value). */
export function canonicalJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(canonical(value));
}

/** Content hash of an ERP record's data, independent of key order. */
export function dataHash(data: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(data) ?? 'undefined')
    .digest('hex')
    .slice(0, 32);
}

/** Reads a value stored by `canonicalJson`; a null column means "no value". */
export function parseStored(text: string | null): unknown {
  return text === null ? undefined : (JSON.parse(text) as unknown);
}

export function parseObject(text: string | null): Record<string, unknown> {
  const parsed = parseStored(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}
