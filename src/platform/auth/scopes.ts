/** API token scopes. Each scope implies the ones below it: admin ⊇ write ⊇ read. */
export const Scope = { read: 'read', write: 'write', admin: 'admin' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];
export const allScopes: Scope[] = ['read', 'write', 'admin'];

const rank: Record<Scope, number> = { read: 1, write: 2, admin: 3 };

export function isScope(value: string): value is Scope {
  return value in rank;
}

export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.some((scope) => rank[scope] >= rank[needed]);
}
