import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../platform/db/index.js';
import { errors } from '../../../../shared/errors/index.js';
import { FileStatus, InboundFolder, ensureInboundFolders, type FileOutcome } from '../../inbound-folder.js';
import { errnoCode } from '../../file-exchange-error.js';
import { manifestNameFor } from '../../manifest.js';
import { createImportApplier } from './apply/apply-import-row.js';
import { DbProcessedFileStore } from './db-processed-file-store.js';

export interface ImportOneFileOptions {
  db: Kysely<Database>;
  /** The exchange root whose archive/ and quarantine/ receive the processed copy. */
  root: string;
  /** The file to import now; it is copied, the original stays where it is. */
  file: string;
}

/**
 * Imports one file immediately, exactly as the watched inbox would (same validation, rejects file,
 * archive, duplicate check by content hash), without waiting for the schedule. The copy is staged in a
 * private hidden folder under the root, so a hub watching the inbox at the same time never races for it.
 */
export async function importOneFile(options: ImportOneFileOptions): Promise<FileOutcome> {
  const source = path.resolve(options.file);
  const info = await stat(source).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') throw errors.notFound('file', source);
    throw error;
  });
  if (!info.isFile()) throw errors.validation(`${source} is not a regular file`);
  const folders = await ensureInboundFolders(options.root);
  const staging = await mkdtemp(path.join(folders.inbox, '..', '.import-'));
  try {
    const name = path.basename(source);
    await copyFile(source, path.join(staging, name));
    await copyFile(`${source}.manifest.json`, path.join(staging, manifestNameFor(name))).catch(
      (error: unknown) => {
        if (errnoCode(error) !== 'ENOENT') throw error;
      },
    );
    const folder = new InboundFolder({
      inbox: staging,
      archive: folders.archive,
      quarantine: folders.quarantine,
      store: new DbProcessedFileStore(options.db),
      apply: createImportApplier(options.db),
    });
    // The first sighting records the file's size and time, the second takes it (nothing is writing it).
    for (let poll = 0; poll < 3; poll += 1) {
      const report = await folder.poll();
      const outcome = report.outcomes.find((o) => o.fileName === name);
      if (outcome !== undefined) return outcome;
    }
    return { fileName: name, status: FileStatus.deferred, message: 'the file did not settle; try again' };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
