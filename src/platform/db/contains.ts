import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';

/**
 * Case-insensitive "contains" over any of `columns`, with LIKE wildcards in the user's text escaped;
 * the same SQL runs on SQLite and PostgreSQL.
 */
export function containsAny(columns: string[], text: string): RawBuilder<boolean> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const parts = columns.map((column) => sql`lower(${sql.ref(column)}) like ${pattern} escape '\\'`);
  return sql<boolean>`(${sql.join(parts, sql` or `)})`;
}
