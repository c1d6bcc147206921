import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { sql } from 'kysely';
import { createTokenVerifier } from '../platform/auth/index.js';
import { AppError, isAppError } from '../shared/errors/index.js';
import type { ApiDeps, ApiEnv } from './api-env.js';
import { idempotency } from './idempotency/index.js';
import { authenticate } from './middleware/authenticate.js';
import { requireJsonBody } from './middleware/json-body.js';
import { problemFromAppError, problemResponse } from './problem.js';
import { createRouter } from './router.js';

export interface BuildAppOptions {
  deps: ApiDeps;
  bodyLimitBytes: number;
  /** Routers mounted under /v1, each built by a module's `xxxRoutes()`. */
  routers: OpenAPIHono<ApiEnv>[];
  /** Extra unauthenticated routes (e.g. the web console) mounted at the root. */
  mount?: (app: OpenAPIHono<ApiEnv>) => void;
  /** Runs before each /metrics scrape, e.g. to refresh gauges that mirror stored state. */
  beforeMetrics?: () => Promise<void>;
  version?: string;
  /**
   * POST paths whose body is a raw upload streamed by the route itself (e.g. /v1/imports): they skip the
   * JSON-only check, the small-body limit and the Idempotency-Key middleware (which would buffer the body
   * to hash it); the route enforces its own size limit while streaming.
   */
  rawBodyPaths?: string[];
}

export function buildApp(options: BuildAppOptions): OpenAPIHono<ApiEnv> {
  const { deps } = options;
  const app = createRouter();

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    deps.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    deps.metrics.httpDuration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
  });

  app.onError((error, c) => {
    if (isAppError(error)) return problemResponse(c, problemFromAppError(error));
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 413 ? 'payload_too_large' : 'validation';
      return problemResponse(
        c,
        problemFromAppError(new AppError(code, error.message || 'malformed request')),
      );
    }
    deps.logger.error({ err: error, path: c.req.path, method: c.req.method }, 'unhandled error');
    return problemResponse(
      c,
      problemFromAppError(new AppError('internal', 'internal error; it has been logged')),
    );
  });
  app.notFound((c) =>
    problemResponse(
      c,
      problemFromAppError(new AppError('not_found', `no route ${c.req.method} ${c.req.path}`)),
    ),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ status: 'ready', database: deps.engine });
    } catch (error) {
      deps.logger.warn({ err: error }, 'readiness check failed');
      return problemResponse(c, problemFromAppError(new AppError('unavailable', 'database unreachable')));
    }
  });
  app.get('/metrics', async (c) => {
    await options
      .beforeMetrics?.()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'metrics refresh failed'));
    return c.body(await deps.metrics.registry.metrics(), 200, {
      'content-type': deps.metrics.registry.contentType,
    });
  });

  const rawBody = new Set(options.rawBodyPaths ?? []);
  const unlessRawBody =
    (middleware: MiddlewareHandler<ApiEnv>): MiddlewareHandler<ApiEnv> =>
    (c, next) =>
      c.req.method === 'POST' && rawBody.has(c.req.path) ? next() : middleware(c, next);
  app.use(
    '/v1/*',
    unlessRawBody(
      bodyLimit({
        maxSize: options.bodyLimitBytes,
        // The rest of the oversize body is never read, so the connection cannot be reused: close it.
        onError: (c) =>
          problemResponse(
            c,
            problemFromAppError(
              new AppError('payload_too_large', `request body exceeds ${options.bodyLimitBytes} bytes`, {
                details: { limitBytes: options.bodyLimitBytes },
              }),
            ),
            { connection: 'close' },
          ),
      }),
    ),
  );
  app.use('/v1/*', unlessRawBody(requireJsonBody()));
  app.use('/v1/*', authenticate(createTokenVerifier(deps.db)));
  app.use('/v1/*', unlessRawBody(idempotency()));
  for (const router of options.routers) app.route('/v1', router);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Fieldsync API',
      version: options.version ?? '0.1.0',
      description: 'Field-service operations and ERP synchronization. Errors are application/problem+json.',
    },
    security: [{ bearerAuth: [] }],
  });
  options.mount?.(app);
  return app;
}
