import type { TrytonRuntime } from './runtime.js';

/**
 * `text` as a literal inside a Tryton `like` pattern. Tryton 6.0 sends LIKE with `ESCAPE '\'` on both
 * backends, so a backslash in a reference would otherwise escape the next character and miss the record.
 */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Records whose only free text is a description (account moves, timesheet lines) carry the tag at its
 * end, `<text> [fieldsync:<ref>]`. It is written in the same create call as the record, so the look-up is
 * exact even across a crash. LIKE ignores case on SQLite, so results are checked exactly here.
 */
export function describe(text: string | null | undefined, tag: string): string {
  return text ? `${text} [${tag}]` : `[${tag}]`;
}

export async function findDescribed(
  rt: TrytonRuntime,
  model: string,
  field: string,
  tags: readonly string[],
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const unique = [...new Set(tags)];
  if (unique.length === 0) return out;
  const domain = ['OR', ...unique.map((tag) => [[field, 'like', `%${likeEscape(`[${tag}]`)}`]])];
  const rows = await rt.client.searchRead<{ id: number } & Record<string, unknown>>(model, domain, {
    fields: [field],
    order: [['id', 'ASC']],
  });
  for (const row of rows) {
    const value = String(row[field] ?? '');
    const tag = unique.find((t) => value.endsWith(`[${t}]`));
    if (tag !== undefined) out.set(tag, [...(out.get(tag) ?? []), row.id]);
  }
  return out;
}
