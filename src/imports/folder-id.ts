import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The file in an imports folder that names it; a dot file, so it is never taken for an upload. */
export const FOLDER_ID_FILE = '.folder-id';

/**
 * The id of an imports folder, created the first time (exclusively: two hubs started on one folder by
 * mistake still agree). Jobs record it, so a hub knows which unfinished jobs are its own: one whose upload
 * is missing from its own folder can never run, while another hub's upload is simply elsewhere. The id
 * lives in the folder itself, so it follows the uploads wherever the data folder is moved or mounted.
 */
export async function folderIdOf(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, FOLDER_ID_FILE);
  const existing = await readId(file);
  if (existing !== undefined) return existing;
  const id = randomUUID();
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(`${id}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process created it a moment ago: give it the time to write its id.
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const raced = await readId(file);
      if (raced !== undefined) return raced;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${file} exists but holds no id`, { cause: error });
  }
}

async function readId(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  const id = text?.trim();
  return id ? id : undefined;
}
