export interface ApiTokensTable {
  id: string;
  name: string;
  /** The first characters of the token, shown in listings so people can tell tokens apart. */
  prefix: string;
  /** SHA-256 of the whole token; the token itself is never stored. */
  token_hash: string;
  /** Comma-separated scopes. */
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuthTables {
  api_tokens: ApiTokensTable;
}
