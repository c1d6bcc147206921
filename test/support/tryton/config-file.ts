import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a trytond configuration for one server: SQLite files in `dir`, listening on loopback only,
 * database listing disabled (as in production).
 */
export async function writeTrytonConfig(options: { dir: string; port: number }): Promise<string> {
  const file = path.join(options.dir, 'trytond.conf');
  const text = [
    '[database]',
    'uri = sqlite://',
    `path = ${options.dir}`,
    'list = False',
    '',
    '[web]',
    `listen = 127.0.0.1:${options.port}`,
    '',
  ].join('\n');
  await writeFile(file, text, 'utf8');
  return file;
}
