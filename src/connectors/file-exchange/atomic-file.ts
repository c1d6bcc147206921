import { createHash, randomBytes } from 'node:crypto';
import { link, lstat, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FileExchangeError, FileRefusal, errnoCode } from './file-exchange-error.js';

export interface AtomicFileResult {
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * A file that becomes visible under its final name only once complete and durable. Readers of the folder
 * see either nothing or the whole file, never a prefix; the temporary name starts with a dot and ends in
 * `.tmp`, which inbound scanners (ours and most others) skip.
 */
export interface AtomicFile {
  readonly finalPath: string;
  readonly tempPath: string;
  write(chunk: string | Uint8Array): Promise<void>;
  /** fsync the data, move it to the final name, fsync the folder. Resolves only when durable. */
  commit(): Promise<AtomicFileResult>;
  /** Removes the temporary file; safe to call after a failure or twice. */
  abort(): Promise<void>;
}

export interface CreateAtomicFileOptions {
  /** Refuse to replace an existing file at the final name (default true). */
  noClobber?: boolean;
  mode?: number;
}

export async function createAtomicFile(
  finalPath: string,
  options: CreateAtomicFileOptions = {},
): Promise<AtomicFile> {
  const noClobber = options.noClobber ?? true;
  const dir = path.dirname(finalPath);
  const tempPath = path.join(dir, `.${path.basename(finalPath)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tempPath, 'wx', options.mode ?? 0o644);
  const hash = createHash('sha256');
  let bytes = 0;
  let state: 'open' | 'committed' | 'aborted' = 'open';

  const assertOpen = (): void => {
    if (state !== 'open') throw new Error(`atomic file ${finalPath} is already ${state}`);
  };

  return {
    finalPath,
    tempPath,
    async write(chunk) {
      assertOpen();
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      hash.update(buffer);
      let offset = 0;
      while (offset < buffer.length) {
        const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
        offset += bytesWritten;
      }
      bytes += buffer.length;
    },
    async commit() {
      assertOpen();
      try {
        await handle.sync();
        await handle.close();
        await publish(tempPath, finalPath, noClobber);
        await fsyncDir(dir);
      } catch (error) {
        state = 'aborted';
        await handle.close().catch(() => undefined);
        await unlink(tempPath).catch(() => undefined);
        throw error;
      }
      state = 'committed';
      return { path: finalPath, sha256: hash.digest('hex'), bytes };
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await closeQuietly(handle);
      await unlink(tempPath).catch(() => undefined);
    },
  };
}

/**
 * A hard link fails with EEXIST instead of replacing, which makes "publish unless taken" atomic. File
 * systems without hard links fall back to check-then-rename, which is only racy against other writers
 * using the very same name.
 */
async function publish(tempPath: string, finalPath: string, noClobber: boolean): Promise<void> {
  if (!noClobber) {
    await rename(tempPath, finalPath);
    return;
  }
  try {
    await link(tempPath, finalPath);
    await unlink(tempPath);
    return;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') {
      throw new FileExchangeError(FileRefusal.exists, `file ${path.basename(finalPath)} already exists`, {
        file: path.basename(finalPath),
      });
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  }
  const existing = await lstat(finalPath).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) {
    throw new FileExchangeError(FileRefusal.exists, `file ${path.basename(finalPath)} already exists`, {
      file: path.basename(finalPath),
    });
  }
  await rename(tempPath, finalPath);
}

/** A rename is durable only once the directory entry is flushed too. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is then as durable as it gets.
    const code = errnoCode(error);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

async function closeQuietly(handle: FileHandle): Promise<void> {
  await handle.close().catch(() => undefined);
}

/** Writes a whole small file atomically (manifests, reason files). */
export async function writeFileAtomic(
  finalPath: string,
  content: string,
  options: CreateAtomicFileOptions = {},
): Promise<AtomicFileResult> {
  const file = await createAtomicFile(finalPath, options);
  try {
    await file.write(content);
    return await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}
