import type { MiddlewareHandler } from 'hono';
import type { Principal, Scope } from '../../platform/auth/index.js';
import { grants } from '../../platform/auth/index.js';
import { AppError } from '../../shared/errors/index.js';
import type { ApiEnv } from '../api-env.js';

/** Bearer-token authentication; every /v1 route runs behind it. */
export function authenticate(
  verify: (token: string) => Promise<Principal | null>,
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1])
      throw new AppError('unauthorized', 'send an API token as "Authorization: Bearer <token>"');
    const principal = await verify(match[1]);
    if (!principal) throw new AppError('unauthorized', 'the API token is unknown or revoked');
    c.set('principal', principal);
    await next();
  };
}

/** Route guard: the token must hold `scope` (or a scope that implies it). */
export function requireScope(scope: Scope): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!grants(principal.scopes, scope)) {
      throw new AppError('forbidden', `this operation needs the "${scope}" scope`, {
        details: { requiredScope: scope, tokenScopes: principal.scopes },
      });
    }
    await next();
  };
}
