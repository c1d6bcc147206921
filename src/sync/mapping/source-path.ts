/** Reads a dot path (`site.region`, `lines.0.qty`); `$` is the whole record. Missing steps give undefined. */
export function getPath(record: unknown, path: string): unknown {
  if (path === '$') return record;
  let current: unknown = record;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    // Own properties only: a path must never reach Object.prototype members such as `constructor`.
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Writes a dot path into a plain object, creating nested objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  let current = target;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (typeof next === 'object' && next !== null && !Array.isArray(next))
      current = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      current[segment] = created;
      current = created;
    }
  }
  current[segments[segments.length - 1] as string] = value;
}

/** "Missing" for `default` and `required`: absent, null, or empty text. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
