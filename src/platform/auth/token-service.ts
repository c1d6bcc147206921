import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import type { Database } from '../db/database.js';
import type { Scope } from './scopes.js';
import { isScope } from './scopes.js';

export interface Principal {
  tokenId: string;
  name: string;
  scopes: Scope[];
}

export interface TokenSummary extends Principal {
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const TOKEN_PREFIX = 'fst_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function parseScopes(stored: string): Scope[] {
  return stored.split(',').filter(isScope);
}

/** Creates a token; the plain value is returned once and only its SHA-256 is kept. */
export async function createApiToken(
  db: Kysely<Database>,
  input: { name: string; scopes: Scope[] },
): Promise<{ token: string; summary: TokenSummary }> {
  if (!input.name.trim())
    throw errors.validation('token name must not be empty', [{ path: ['name'], message: 'required' }]);
  if (input.scopes.length === 0)
    throw errors.validation('a token needs at least one scope', [{ path: ['scopes'], message: 'required' }]);
  // 32 random bytes: hashing with plain SHA-256 is sound because the secret has full entropy.
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = {
    id: newId(),
    name: input.name.trim(),
    prefix: token.slice(0, 10),
    token_hash: hashToken(token),
    scopes: [...new Set(input.scopes)].join(','),
    created_at: nowIso(),
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('api_tokens').values(row).execute();
  return {
    token,
    summary: {
      tokenId: row.id,
      name: row.name,
      scopes: parseScopes(row.scopes),
      prefix: row.prefix,
      createdAt: row.created_at,
      lastUsedAt: null,
      revokedAt: null,
    },
  };
}

export async function listApiTokens(db: Kysely<Database>): Promise<TokenSummary[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().orderBy('created_at').execute();
  return rows.map((row) => ({
    tokenId: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }));
}

/** Revokes by id or by the displayed prefix; returns false when nothing matched. */
export async function revokeApiToken(db: Kysely<Database>, idOrPrefix: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: nowIso() })
    .where((eb) => eb.or([eb('id', '=', idOrPrefix), eb('prefix', '=', idOrPrefix)]))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Verifies a presented token. Successful look-ups are cached for a few seconds so authentication does
 * not cost a query per request; revocation therefore takes effect within `cacheMs`.
 */
export function createTokenVerifier(db: Kysely<Database>, cacheMs = 5000) {
  const cache = new Map<string, { principal: Principal; until: number }>();
  const lastTouched = new Map<string, number>();
  return async function verify(token: string): Promise<Principal | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const hash = hashToken(token);
    const now = Date.now();
    const cached = cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const row = await db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) {
      cache.delete(hash);
      return null;
    }
    const principal: Principal = { tokenId: row.id, name: row.name, scopes: parseScopes(row.scopes) };
    cache.set(hash, { principal, until: now + cacheMs });
    if ((lastTouched.get(row.id) ?? 0) < now - 60_000) {
      lastTouched.set(row.id, now);
      await db.updateTable('api_tokens').set({ last_used_at: nowIso() }).where('id', '=', row.id).execute();
    }
    return principal;
  };
}
