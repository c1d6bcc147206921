export { allScopes, grants, isScope, Scope } from './scopes.js';
export type { AuthTables } from './tables.js';
export { createApiToken, createTokenVerifier, listApiTokens, revokeApiToken } from './token-service.js';
export type { Principal, TokenSummary } from './token-service.js';
