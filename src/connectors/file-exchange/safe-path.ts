import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FileExchangeError, FileRefusal, errnoCode, formatBytes } from './file-exchange-error.js';

/**
 * Checks a file name that came from outside (a manifest, a CLI argument, a flow setting) before it touches
 * the disk. Refuses the tricks that escape a folder: NUL bytes, absolute paths (POSIX, drive letters,
 * UNC), and any `..` segment, with `\` treated as a separator too so Windows-style names cannot slip by.
 */
export function assertSafeRelativeName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.trim().length === 0) {
    throw new FileExchangeError(FileRefusal.emptyName, 'file name is empty');
  }
  if (name.includes('\0')) {
    throw new FileExchangeError(FileRefusal.nulInName, 'file name contains a NUL byte', {
      name: printable(name),
    });
  }
  if (path.posix.isAbsolute(name) || path.win32.isAbsolute(name) || /^[A-Za-z]:/.test(name)) {
    throw new FileExchangeError(
      FileRefusal.absolutePath,
      `file name "${printable(name)}" is an absolute path`,
      {
        name: printable(name),
      },
    );
  }
  if (name.split(/[\\/]+/).some((segment) => segment === '..')) {
    throw new FileExchangeError(
      FileRefusal.pathTraversal,
      `file name "${printable(name)}" contains a ".." segment`,
      {
        name: printable(name),
      },
    );
  }
}

/** True when `candidate` is `root` itself or below it (both already real, absolute paths). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export interface ResolveInsideOptions {
  /** Refuse when the file does not exist (for reading). Default false (for writing a new file). */
  mustExist?: boolean;
}

/**
 * Resolves `name` inside `root` and returns its real path. Symlinks are followed only while they stay
 * inside the root's real path; an existing entry must be a regular file.
 */
export async function resolveInside(
  root: string,
  name: string,
  options: ResolveInsideOptions = {},
): Promise<string> {
  assertSafeRelativeName(name);
  const rootReal = await realpath(root);
  const candidate = path.resolve(rootReal, name);
  if (!isInside(rootReal, candidate)) {
    throw new FileExchangeError(
      FileRefusal.pathTraversal,
      `file name "${printable(name)}" resolves outside the folder`,
    );
  }
  let entry: Stats;
  try {
    entry = await lstat(candidate);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
    if (options.mustExist) {
      throw new FileExchangeError(FileRefusal.notFound, `file "${printable(name)}" does not exist`, { name });
    }
    // A new file: its parent folder must itself really be inside the root (a symlinked sub-folder is not).
    const parentReal = await realpath(path.dirname(candidate)).catch((parentError: unknown) => {
      if (errnoCode(parentError) === 'ENOENT') {
        throw new FileExchangeError(FileRefusal.notFound, `folder of "${printable(name)}" does not exist`, {
          name,
        });
      }
      throw parentError;
    });
    if (!isInside(rootReal, parentReal)) {
      throw new FileExchangeError(
        FileRefusal.symlinkEscape,
        `folder of "${printable(name)}" is a link leaving the folder`,
      );
    }
    return path.join(parentReal, path.basename(candidate));
  }
  const real = await realpath(candidate);
  if (!isInside(rootReal, real)) {
    throw new FileExchangeError(
      FileRefusal.symlinkEscape,
      `"${printable(name)}" is a symbolic link leading outside the folder`,
      {
        name,
      },
    );
  }
  const target = entry.isSymbolicLink() ? await stat(real) : entry;
  if (!target.isFile()) {
    throw new FileExchangeError(FileRefusal.notRegularFile, `"${printable(name)}" is not a regular file`, {
      name,
    });
  }
  return real;
}

export interface OpenedFile {
  handle: FileHandle;
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface OpenInsideOptions {
  maxBytes?: number;
  /** Refuse symbolic links even when they stay inside the folder (drop folders take plain files only). */
  refuseSymlinks?: boolean;
}

/**
 * Opens an existing regular file inside `root` for reading. O_NOFOLLOW and a post-open fstat close the
 * race where the entry is swapped for a link or a FIFO between the check and the open; O_NONBLOCK keeps
 * a FIFO from hanging the open.
 */
export async function openRegularFileInside(
  root: string,
  name: string,
  options: OpenInsideOptions = {},
): Promise<OpenedFile> {
  assertSafeRelativeName(name);
  if (options.refuseSymlinks) {
    const rootReal = await realpath(root);
    const entry = await lstat(path.resolve(rootReal, name)).catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT') {
        throw new FileExchangeError(FileRefusal.notFound, `file "${printable(name)}" does not exist`, {
          name,
        });
      }
      throw error;
    });
    if (entry.isSymbolicLink()) {
      throw new FileExchangeError(
        FileRefusal.symlink,
        `"${printable(name)}" is a symbolic link; only regular files are taken`,
        {
          name,
        },
      );
    }
  }
  const real = await resolveInside(root, name, { mustExist: true });
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (errnoCode(error) === 'ELOOP') {
      throw new FileExchangeError(
        FileRefusal.symlink,
        `"${printable(name)}" became a symbolic link while opening`,
        { name },
      );
    }
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new FileExchangeError(FileRefusal.notRegularFile, `"${printable(name)}" is not a regular file`, {
        name,
      });
    }
    if (options.maxBytes !== undefined && info.size > options.maxBytes) {
      throw new FileExchangeError(
        FileRefusal.tooLarge,
        `file "${printable(name)}" is ${formatBytes(info.size)}, over the ${formatBytes(options.maxBytes)} limit (limits.maxFileBytes)`,
        { name, bytes: info.size, limit: options.maxBytes },
      );
    }
    return { handle, path: real, size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Names go into messages and reason files; control characters are shown escaped, not written raw. */
export function printable(name: string): string {
  return (
    name
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
      .slice(0, 300)
  );
}
