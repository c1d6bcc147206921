import { OpenAPIHono } from '@hono/zod-openapi';
import { errors } from '../shared/errors/index.js';
import type { ApiEnv } from './api-env.js';
import { issuesFromZod } from '../shared/zod-issues.js';

/**
 * A router whose request validation failures become one 400 problem listing every bad path, so each
 * module's routes behave alike without repeating the hook.
 */
export function createRouter(): OpenAPIHono<ApiEnv> {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const target = result.target === 'json' ? [] : [result.target];
        throw errors.validation('request does not match the schema', issuesFromZod(result.error, target));
      }
      return undefined;
    },
  });
}
