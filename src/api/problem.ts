import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppError, FieldIssue } from '../shared/errors/index.js';
import { httpStatusFor } from '../shared/errors/index.js';

/** RFC 9457 problem details, plus our error `code` and every offending field path. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** `["sites", 0, "postalCode"]` → `/sites/0/postalCode` (a JSON Pointer, unambiguous for any key). */
export function pointer(path: (string | number)[]): string {
  return path.length === 0
    ? ''
    : `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

export function problemFromAppError(error: AppError): ProblemBody {
  const status = httpStatusFor(error.code);
  const body: ProblemBody = {
    ...error.details,
    type: `https://fieldsync.dev/problems/${error.code}`,
    title: titles[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
  };
  if (error.issues.length > 0)
    body.errors = error.issues.map((i: FieldIssue) => ({ path: pointer(i.path), message: i.message }));
  return body;
}

export function problemResponse(
  c: Context,
  body: ProblemBody,
  headers: Record<string, string> = {},
): Response {
  return c.body(JSON.stringify(body), body.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json',
    ...headers,
  });
}
