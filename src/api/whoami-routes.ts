import { createRoute, z } from '@hono/zod-openapi';
import { allScopes, grants } from '../platform/auth/index.js';
import { problemResponses } from './http-helpers.js';
import { createRouter } from './router.js';

const whoamiSchema = z
  .object({
    tokenId: z.string(),
    name: z.string(),
    scopes: z.array(z.string()).openapi({ description: 'Scopes stored on the token' }),
    grants: z
      .array(z.string())
      .openapi({ description: 'Every scope the token satisfies (admin ⊇ write ⊇ read), for UIs' }),
  })
  .openapi('Whoami');

/**
 * The calling token's own identity and scopes, so a client (the web console) can offer only what
 * the API would accept instead of learning it from 403s. Any valid token may ask.
 */
export function whoamiRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/auth/whoami',
      tags: ['auth'],
      summary: "The calling token's name and scopes",
      responses: {
        200: { description: 'The token', content: { 'application/json': { schema: whoamiSchema } } },
        ...problemResponses,
      },
    }),
    (c) => {
      const p = c.get('principal');
      return c.json(
        {
          tokenId: p.tokenId,
          name: p.name,
          scopes: p.scopes,
          grants: allScopes.filter((s) => grants(p.scopes, s)),
        },
        200,
      );
    },
  );
  return router;
}
