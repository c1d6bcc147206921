import { createHash } from 'node:crypto';
import { mkdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { ImportKind } from '../import-kinds.js';
import { MANIFEST_SUFFIX, type ExportFormat } from '../manifest.js';

export interface InboundFolders {
  inbox: string;
  archive: string;
  quarantine: string;
}

/** The usual layout under one exchange root: inbox/, archive/, quarantine/ (created if missing). */
export async function ensureInboundFolders(root: string): Promise<InboundFolders> {
  const folders = {
    inbox: path.join(root, 'inbox'),
    archive: path.join(root, 'archive'),
    quarantine: path.join(root, 'quarantine'),
  };
  for (const dir of Object.values(folders)) await mkdir(dir, { recursive: true });
  return folders;
}

export const FileStatus = {
  imported: 'imported',
  duplicate: 'duplicate',
  quarantined: 'quarantined',
  deferred: 'deferred',
} as const;
export type FileStatus = (typeof FileStatus)[keyof typeof FileStatus];

export interface FileOutcome {
  fileName: string;
  status: FileStatus;
  kind?: ImportKind;
  format?: ExportFormat;
  sha256?: string;
  rowsRead?: number;
  applied?: number;
  rejected?: number;
  /** Where the file went (archive or quarantine), absolute. */
  movedTo?: string;
  rejectsFile?: string;
  reason?: string;
  message?: string;
}

export interface PollReport {
  outcomes: FileOutcome[];
  /** Seen but not yet stable (or waiting for a manifest / matching checksum). */
  waiting: string[];
}

const skippedSuffixes = [
  '.tmp',
  '.part',
  '.partial',
  '.crdownload',
  '.swp',
  '.reason.json',
  '.rejects.csv',
  MANIFEST_SUFFIX,
];

/** Names we never take: hidden files (temporary names by convention), in-progress and companion files. */
export function isIgnoredName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    name.startsWith('.') || name.startsWith('~') || skippedSuffixes.some((suffix) => lower.endsWith(suffix))
  );
}

export async function hashFile(handle: FileHandle): Promise<string> {
  const hash = createHash('sha256');
  const stream = handle.createReadStream({ start: 0, autoClose: false, highWaterMark: 64 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}
