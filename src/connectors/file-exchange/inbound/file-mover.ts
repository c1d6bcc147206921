import { copyFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, writeFileAtomic } from '../atomic-file.js';
import { errnoCode } from '../file-exchange-error.js';

/**
 * Moves a file between folders of the exchange area. A rename is atomic and durable once both folders are
 * fsynced; across file systems (EXDEV) it falls back to copy, fsync, unlink.
 */
export async function moveFile(
  fromDir: string,
  name: string,
  toDir: string,
  newName: string,
): Promise<string> {
  const from = path.join(fromDir, name);
  const to = path.join(toDir, newName);
  try {
    await rename(from, to);
  } catch (error) {
    if (errnoCode(error) !== 'EXDEV') throw error;
    await copyFile(from, to);
    await fsyncDir(toDir);
    await unlink(from);
  }
  await fsyncDir(toDir);
  await fsyncDir(fromDir);
  return to;
}

export interface QuarantineReason {
  file: string;
  reason: string;
  message: string;
  at: string;
}

/** Moves the file into quarantine and writes `<name>.reason.json` next to it. */
export async function quarantineFile(
  fromDir: string,
  name: string,
  quarantineDir: string,
  quarantinedName: string,
  reason: QuarantineReason,
): Promise<string> {
  await writeFileAtomic(
    path.join(quarantineDir, `${quarantinedName}.reason.json`),
    `${JSON.stringify(reason, null, 2)}\n`,
    { noClobber: false },
  );
  return moveFile(fromDir, name, quarantineDir, quarantinedName);
}
