/** A dot path split once (`site.region` → `['site', 'region']`); `$` is the whole record. */
export type PathSegments = readonly string[] | '$';

export function pathSegments(path: string): PathSegments {
  return path === '$' ? '$' : path.split('.');
}

/** Reads a dot path (`site.region`, `lines.0.qty`); `$` is the whole record. Missing steps give undefined. */
export function getPath(record: unknown, path: string): unknown {
  return getSegments(record, pathSegments(path));
}

/** `getPath` for a path split in advance: a compiled mapping reads each field of every event. */
export function getSegments(record: unknown, segments: PathSegments): unknown {
  if (segments === '$') return record;
  let current: unknown = record;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return undefined;
    // Own properties only: a path must never reach Object.prototype members such as `constructor`.
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Writes a dot path into a plain object, creating nested objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  setSegments(target, path.split('.'), value);
}

/** `setPath` for a path split in advance. */
export function setSegments(
  target: Record<string, unknown>,
  segments: readonly string[],
  value: unknown,
): void {
  let current = target;
  const last = segments.length - 1;
  for (let i = 0; i < last; i += 1) {
    const segment = segments[i] as string;
    const next = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (typeof next === 'object' && next !== null && !Array.isArray(next))
      current = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      current[segment] = created;
      current = created;
    }
  }
  current[segments[last] as string] = value;
}

/** "Missing" for `default` and `required`: absent, null, or empty text. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
