/**
 * A PostgreSQL deadlock (40P01) or serialization failure (40001): the server rolled the whole
 * transaction back, so running it again from the start is safe and usually succeeds.
 */
export function isTransactionConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '40P01' || code === '40001';
}
