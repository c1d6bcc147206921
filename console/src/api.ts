/** The console's only way to the hub: /v1 with the signed-in token. It never does what the API refuses. */
const tokenKey = 'fieldsync.token';

export type Scope = 'read' | 'write' | 'admin';

export interface Session {
  token: string;
  name: string;
  grants: Scope[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; code?: string },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

let session: Session | null = null;
let onUnauthorized: () => void = () => undefined;

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function currentSession(): Session | null {
  return session;
}

export function can(scope: Scope): boolean {
  return session?.grants.includes(scope) ?? false;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(tokenKey);
}

/** Checks the token with GET /v1/auth/whoami and keeps it for this browser tab only. */
export async function signIn(token: string): Promise<Session> {
  const me = await request<{ name: string; grants: Scope[] }>('GET', '/auth/whoami', undefined, token);
  session = { token, name: me.name, grants: me.grants };
  sessionStorage.setItem(tokenKey, token);
  return session;
}

export function signOut(): void {
  session = null;
  sessionStorage.removeItem(tokenKey);
}

export async function request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const bearer = token ?? session?.token;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/v1${path}`, {
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (res.status === 401 && token === undefined) {
    signOut();
    onUnauthorized();
  }
  const type = res.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    throw new ApiError(
      res.status,
      typeof payload === 'object' && payload ? payload : { detail: String(payload) },
    );
  }
  return payload as T;
}

export const get = <T>(path: string) => request<T>('GET', path);

/**
 * Sends a file as the raw request body (POST /v1/imports): the browser streams it, nothing is read into
 * a string here, so encodings other than UTF-8 reach the server's detector untouched.
 */
export async function upload<T>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': file.type || 'application/octet-stream',
  };
  if (session) headers.authorization = `Bearer ${session.token}`;
  const res = await fetch(`/v1${path}`, { method: 'POST', headers, body: file });
  if (res.status === 401) {
    signOut();
    onUnauthorized();
  }
  const payload: unknown = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, typeof payload === 'object' && payload ? payload : {});
  return payload as T;
}

/** A whole list as far as it was read: `truncated` when more rows exist than were fetched. */
export type Listed<T> = T[] & { readonly truncated: boolean };

export const LIST_PAGE_SIZE = 500;
/** Pages `getAll` reads at most: 10,000 rows, enough for look-up tables, bounded for the browser. */
export const LIST_MAX_PAGES = 20;

/**
 * Every page of a keyset-paginated list, up to `maxPages` (the console's look-up tables are small). A
 * longer list is cut, and says so (`truncated`): a page must show that it is not seeing everything,
 * never drop rows silently.
 */
export async function getAll<T>(path: string, maxPages = LIST_MAX_PAGES): Promise<Listed<T>> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res: { data: T[]; nextCursor: string | null } = await get(
      `${path}${sep}limit=${LIST_PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...res.data);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return Object.assign(out, { truncated: cursor !== null });
}
export const post = <T>(path: string, body: unknown) => request<T>('POST', path, body);

/** Query string from defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
