import { readdir } from 'node:fs/promises';
import type { ChangePage, ConnectorRecord, Cursor } from '../../sdk/connector.js';
import { ConnectorError } from '../../sdk/connector-error.js';
import { isAfterCursor } from '../../sdk/cursor.js';
import { parseExportFileName } from '../file-naming.js';
import { manifestNameFor, type ExportFormat } from '../manifest.js';
import { openRecordReader } from '../readers/index.js';
import { openRegularFileInside } from '../safe-path.js';
import { fileFlowOf, type ExchangeFolders, type FileExchangeConfig } from './config.js';
import { classifyFileError } from './io-errors.js';

/**
 * Reads back what an entity's flow wrote: every record of every published file (one with its manifest)
 * still in the outbound folder. A record's id is `<file>#<line>` and its modifiedAt the file's creation
 * time, so the keyset (modifiedAt, id) walks files in time order. Consumers that take files away shrink
 * what can be read back; this is for reconciliation and tests, not an archive.
 */
interface FileGroup {
  modifiedAt: string;
  files: { name: string; format: ExportFormat }[];
}

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `20261126T233000123Z` → `2026-11-26T23:30:00.123Z`. */
export function stampToIso(stamp: string): string {
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`;
}

const formats = new Set<string>(['csv', 'jsonl', 'xml']);

async function fileGroups(folders: ExchangeFolders, flow: string): Promise<FileGroup[]> {
  let names: string[];
  try {
    names = await readdir(folders.outbound);
  } catch (error) {
    throw classifyFileError(error, `listing ${folders.outbound}`);
  }
  const present = new Set(names);
  const groups = new Map<string, FileGroup>();
  for (const name of names.sort()) {
    const parsed = parseExportFileName(name);
    if (parsed === undefined || parsed.flow !== flow || !formats.has(parsed.ext)) continue;
    if (!present.has(manifestNameFor(name))) continue; // not (yet) complete
    const modifiedAt = stampToIso(parsed.stamp);
    const group = groups.get(modifiedAt) ?? { modifiedAt, files: [] };
    group.files.push({ name, format: parsed.ext as ExportFormat });
    groups.set(modifiedAt, group);
  }
  return [...groups.values()].sort((a, b) =>
    a.modifiedAt < b.modifiedAt ? -1 : a.modifiedAt > b.modifiedAt ? 1 : 0,
  );
}

async function recordsOfGroup(folders: ExchangeFolders, group: FileGroup): Promise<ConnectorRecord[]> {
  const out: ConnectorRecord[] = [];
  for (const file of group.files) {
    try {
      const { handle } = await openRegularFileInside(folders.outbound, file.name, { refuseSymlinks: true });
      try {
        const reader = await openRecordReader(file.format, handle, { header: true, recordElement: 'record' });
        for await (const item of reader.items()) {
          if (item.type !== 'record') continue;
          out.push({
            externalId: `${file.name}#${item.rowNumber}`,
            modifiedAt: group.modifiedAt,
            data: item.record,
          });
        }
      } finally {
        await handle.close();
      }
    } catch (error) {
      // Taken away by a consumer between listing and reading: it is simply no longer there.
      if (error instanceof ConnectorError && error.errorClass === 'not_found') continue;
      throw classifyFileError(error, `reading ${file.name}`);
    }
  }
  return out.sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
}

export async function readChangesBack(
  config: FileExchangeConfig,
  folders: ExchangeFolders,
  entity: string,
  cursor: Cursor | null,
  limit: number,
): Promise<ChangePage> {
  if (cursor !== null && (typeof cursor.id !== 'string' || !isoUtc.test(String(cursor.modifiedAt)))) {
    throw new ConnectorError(
      'cursor_invalid',
      `cursor ${JSON.stringify(cursor)} is not a file-exchange position`,
    );
  }
  const out: ConnectorRecord[] = [];
  for (const group of await fileGroups(folders, fileFlowOf(config, entity))) {
    if (cursor !== null && group.modifiedAt < cursor.modifiedAt) continue;
    for (const record of await recordsOfGroup(folders, group))
      if (isAfterCursor(record, cursor)) out.push(record);
    if (out.length > limit) break;
  }
  const records = out.slice(0, limit);
  const last = records[records.length - 1];
  return {
    records,
    nextCursor: last === undefined ? cursor : { modifiedAt: last.modifiedAt, id: last.externalId },
    hasMore: out.length > limit,
  };
}

export async function* readAllBack(
  config: FileExchangeConfig,
  folders: ExchangeFolders,
  entity: string,
): AsyncIterable<ConnectorRecord> {
  for (const group of await fileGroups(folders, fileFlowOf(config, entity)))
    yield* await recordsOfGroup(folders, group);
}
