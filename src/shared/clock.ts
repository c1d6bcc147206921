/** Timestamps are stored as ISO-8601 UTC strings with milliseconds, which sort lexically on both engines. */
export function nowIso(): string {
  return new Date().toISOString();
}
