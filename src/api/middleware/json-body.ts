import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../shared/errors/index.js';

/** Requests with a body must declare JSON; anything else is refused before it reaches a handler. */
export function requireJsonBody(): MiddlewareHandler {
  return async (c, next) => {
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method)) {
      const type = c.req.header('content-type') ?? '';
      const length = c.req.header('content-length');
      const hasBody =
        length !== '0' && (length !== undefined || c.req.header('transfer-encoding') !== undefined);
      if (hasBody && !/^application\/(.+\+)?json\b/i.test(type)) {
        throw new AppError('unsupported_media_type', 'send the body as application/json', {
          details: { contentType: type },
        });
      }
    }
    await next();
  };
}
