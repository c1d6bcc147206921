import { ConnectorError } from '../../sdk/connector-error.js';
import type { JsonRpcOutcome } from './json-rpc.js';
import type { TrytonSession, TrytonWarning, TrytonWarningPolicy } from './types.js';

/**
 * `common.db.login` → [userId, key] → `Authorization: Session base64(login:userId:key)`.
 * Basic auth would also work but makes Tryton re-hash the password on every call (~10x slower).
 */
export async function openSession(
  post: (method: string, params: readonly unknown[]) => Promise<JsonRpcOutcome>,
  credentials: { login: string; password: string; language: string },
): Promise<TrytonSession> {
  const { login, password, language } = credentials;
  const outcome = await post('common.db.login', [login, { password }, language]);
  if (!outcome.ok) throw outcome.error;
  const result = outcome.result;
  if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string') {
    throw new ConnectorError('auth', 'Tryton login returned no session', {
      vendorDetail: { kind: 'login', result: typeof result },
    });
  }
  const [userId, key] = result as [number, string];
  return { userId, header: `Session ${Buffer.from(`${login}:${userId}:${key}`, 'utf8').toString('base64')}` };
}

/** HTTP 401 on a model call: the session expired or was removed; one fresh login may fix it. */
export function isSessionRejected(error: ConnectorError): boolean {
  const detail = error.vendorDetail as { kind?: string; status?: number } | undefined;
  return detail?.kind === 'http' && detail.status === 401;
}

export function warningAllowed(policy: TrytonWarningPolicy, warning: TrytonWarning): boolean {
  return typeof policy === 'function' ? policy(warning) : policy;
}
