import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiEnv } from '../api-env.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** dist/console, from both dist/api/console (built) and src/api/console (tsx in tests). */
export const defaultConsoleDir = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

/**
 * Serves the built web console: `/` is its page, `/console/*` its files. File names carry no content
 * hash, so every response is `no-cache` with an ETag: browsers revalidate (a cheap 304) and never run
 * a stale script after an upgrade. The console is a client of /v1 only; serving it needs no token.
 */
export function mountConsole(app: OpenAPIHono<ApiEnv>, dir = defaultConsoleDir): void {
  const send = async (c: Context<ApiEnv>, relative: string) => {
    const file = path.resolve(dir, relative);
    // Resolved paths that leave the console folder (../ tricks) are not ours to serve.
    if (!file.startsWith(path.resolve(dir) + path.sep)) return c.notFound();
    const type = contentTypes[path.extname(file)];
    const info = await stat(file).catch(() => null);
    if (!type || !info?.isFile()) {
      if (relative === 'index.html') {
        return c.text('The web console is not built: run `npm run build:console`.', 503);
      }
      return c.notFound();
    }
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers = {
      'content-type': type,
      'cache-control': 'no-cache',
      etag,
      'x-content-type-options': 'nosniff',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(await readFile(file), 200, headers);
  };
  app.get('/', (c) => send(c, 'index.html'));
  app.get('/console/*', (c) => send(c, c.req.path.slice('/console/'.length)));
}
