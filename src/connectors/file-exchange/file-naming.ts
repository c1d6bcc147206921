import { FileExchangeError, FileRefusal } from './file-exchange-error.js';

/** Flow names go into file names; no `_` so `<stamp>_<flow>_<seq>` splits unambiguously. */
export const flowNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function assertFlowName(flow: string): void {
  if (!flowNamePattern.test(flow)) {
    throw new FileExchangeError(
      FileRefusal.invalidFlowName,
      `flow name "${flow.slice(0, 80)}" must be 1-63 characters of a-z, 0-9 and "-", starting with a letter or digit`,
      { flow: flow.slice(0, 80) },
    );
  }
}

/** 2026-11-26T23:30:00.123Z → 20261126T233000123Z: fixed width, so names sort by time as plain strings. */
export function formatStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

export interface ExportFileNameParts {
  at: Date;
  flow: string;
  seq: number;
  ext: string;
}

/** `20261126T233000123Z_<flow>_<seq>.<ext>`, seq zero-padded to 6 digits. */
export function exportFileName(parts: ExportFileNameParts): string {
  assertFlowName(parts.flow);
  if (!Number.isSafeInteger(parts.seq) || parts.seq < 0)
    throw new RangeError(`seq must be a non-negative integer: ${parts.seq}`);
  if (!/^[a-z0-9]{1,10}$/.test(parts.ext)) throw new RangeError(`bad file extension: ${parts.ext}`);
  return `${formatStamp(parts.at)}_${parts.flow}_${String(parts.seq).padStart(6, '0')}.${parts.ext}`;
}

const exportNamePattern = /^(\d{8}T\d{9}Z)_([a-z0-9][a-z0-9-]{0,62})_(\d{6,})\.([a-z0-9]{1,10})$/;

export function parseExportFileName(
  name: string,
): { stamp: string; flow: string; seq: number; ext: string } | undefined {
  const match = exportNamePattern.exec(name);
  if (!match) return undefined;
  const [, stamp, flow, seq, ext] = match as unknown as [string, string, string, string, string];
  return { stamp, flow, seq: Number(seq), ext };
}
