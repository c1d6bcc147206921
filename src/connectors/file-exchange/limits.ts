/**
 * Size limits for inbound files. Every limit has a default that fits the 200 MB memory budget and can be
 * overridden per inbound folder. A value over a limit is refused with a message naming the limit.
 */
export interface FileLimits {
  /** Largest file accepted at all (bytes, as stored on disk). */
  maxFileBytes: number;
  /** Longest single field value (characters). */
  maxFieldChars: number;
  /** Longest record: a CSV record (all its lines), a JSON Lines line, an XML record element (characters). */
  maxRecordChars: number;
  /** Most data rows read from one file; rows past it are reported as one reject. */
  maxRows: number;
}

export const defaultFileLimits: Readonly<FileLimits> = Object.freeze({
  maxFileBytes: 1024 * 1024 * 1024,
  maxFieldChars: 64 * 1024,
  maxRecordChars: 1024 * 1024,
  maxRows: 5_000_000,
});

export function resolveLimits(overrides: Partial<FileLimits> = {}): FileLimits {
  const limits = { ...defaultFileLimits, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`file limit ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return limits;
}

/** How much of a file is sampled to detect encoding, delimiter and header. */
export const SAMPLE_BYTES = 64 * 1024;

/** How much of an offending row is copied into a rejects file. */
export const MAX_RAW_IN_REJECT = 4096;
