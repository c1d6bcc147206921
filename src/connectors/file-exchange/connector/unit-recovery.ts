import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { errnoCode } from '../file-exchange-error.js';
import { EXPORT_SCHEMA_VERSION } from '../atomic-writer.js';
import { manifestNameFor, type FileManifest } from '../manifest.js';
import type { LedgerUnit, OutboundLedger } from './ledger.js';

async function exists(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isFile();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

async function hashOf(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Settles a unit whose intent is durable but whose commit is not (a crash, or a write that failed part-way):
 * - data file and manifest there → it was published: commit;
 * - data file there, manifest missing (the crash fell between the two) → write the manifest, commit;
 * - no data file → it never became visible: abort, and the keys are written again under a new name.
 * Returns whether the unit ended up committed.
 */
export async function settleUnit(
  ledger: OutboundLedger,
  unit: LedgerUnit,
  outboundDir: string,
): Promise<boolean> {
  const dataPath = path.join(outboundDir, unit.file);
  if (!(await exists(dataPath))) {
    await ledger.abort(unit.file);
    return false;
  }
  const manifestPath = path.join(outboundDir, manifestNameFor(unit.file));
  if (!(await exists(manifestPath))) {
    const { sha256, bytes } = await hashOf(dataPath);
    const manifest: FileManifest = {
      file: unit.file,
      records: unit.rows,
      sha256,
      bytes,
      createdAt: unit.at,
      flow: unit.flow,
      format: unit.format,
      schemaVersion: EXPORT_SCHEMA_VERSION,
      ...(unit.subject !== undefined && { subject: unit.subject }),
    };
    await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { noClobber: true });
  }
  await ledger.commit(unit.file);
  return true;
}
