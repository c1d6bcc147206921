import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createAtomicFile } from '../connectors/file-exchange/index.js';
import { AppError, errors } from '../shared/errors/index.js';

export interface ReceivedUpload {
  /** File name inside the imports folder. */
  storedAs: string;
  bytes: number;
  sha256: string;
}

/**
 * Streams a request body into the imports folder, counting bytes as they arrive: memory stays flat
 * whatever the size, and the upload is refused (413) the moment it passes `maxBytes`, with nothing left
 * behind. The file appears under its final name only once complete and fsynced, so what a job points
 * at is always the whole upload.
 */
export async function receiveUpload(options: {
  body: ReadableStream<Uint8Array> | null;
  dir: string;
  storedAs: string;
  maxBytes: number;
}): Promise<ReceivedUpload> {
  if (options.body === null) throw emptyBody();
  await mkdir(options.dir, { recursive: true });
  const file = await createAtomicFile(path.join(options.dir, options.storedAs));
  const reader = options.body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(options.maxBytes);
      }
      await file.write(value);
    }
    if (bytes === 0) throw emptyBody();
    const committed = await file.commit();
    return { storedAs: options.storedAs, bytes: committed.bytes, sha256: committed.sha256 };
  } catch (error) {
    await file.abort();
    throw error;
  }
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `an import file may be at most ${maxBytes} bytes`, {
    details: { limitBytes: maxBytes },
  });
}

function emptyBody(): AppError {
  return errors.validation('the file is empty', [
    { path: ['body'], message: 'send the file content as the body' },
  ]);
}
