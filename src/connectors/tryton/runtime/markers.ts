import { trytonDateTime } from '../transport/index.js';
import { TAG_PREFIX } from './references.js';
import type { TrytonRuntime } from './runtime.js';

/**
 * Tryton 6.0 stock moves and inventories have no text field for an external reference (`origin` only takes
 * records of a few models), so Fieldsync tags them with a link attachment (`ir.attachment`, type link,
 * `link` = the tag, `name` = a label people read, e.g. the work-order number). The attachment shows on the
 * record in the Tryton client.
 *
 * Creating a record and its attachment are two calls. The protocol keeps retries exact anyway: records are
 * created in draft (no stock effect), then tagged, then executed (`do`, `confirm`). A crash between the
 * create and the tag leaves an untagged draft that moves no stock; the retry creates and tags a new one.
 * A crash after the tag finds the draft by its tag and only executes it.
 *
 * One attachment per op, on the op's first record, lists all the op's record ids in its description: a work
 * order with five parts costs five moves and one attachment, not five.
 */
export interface Marked {
  /** Record ids tagged with the reference, in id order. */
  ids: number[];
}

export async function findMarked(
  rt: TrytonRuntime,
  model: string,
  tags: readonly string[],
): Promise<Map<string, Marked>> {
  const out = new Map<string, Marked>();
  if (tags.length === 0) return out;
  const rows = await rt.client.searchRead<{ link: string; resource: string; description: string | null }>(
    'ir.attachment',
    [
      ['link', 'in', [...new Set(tags)]],
      ['resource', 'like', `${model},%`],
    ],
    { fields: ['link', 'resource', 'description'], order: [['id', 'ASC']] },
  );
  for (const row of rows) {
    const listed = /^\d+(,\d+)*$/.test(row.description ?? '')
      ? (row.description as string).split(',').map(Number)
      : [];
    const ids = listed.length > 0 ? listed : [Number(row.resource.slice(model.length + 1))];
    if (!ids.every(Number.isInteger)) continue;
    const entry = out.get(row.link) ?? { ids: [] };
    entry.ids.push(...ids.filter((id) => !entry.ids.includes(id)));
    out.set(row.link, entry);
  }
  for (const entry of out.values()) entry.ids.sort((a, b) => a - b);
  return out;
}

export async function markRecords(
  rt: TrytonRuntime,
  model: string,
  marks: readonly { tag: string; label: string; ids: readonly number[] }[],
): Promise<void> {
  const values = marks
    .filter((m) => m.ids.length > 0)
    .map((m) => ({
      name: m.label,
      type: 'link',
      link: m.tag,
      resource: `${model},${m.ids[0]}`,
      description: m.ids.join(','),
    }));
  if (values.length > 0) await rt.client.create('ir.attachment', values);
}

type Attachment = { link: string | null; resource: string; description: string | null };

function idsListed(row: Attachment, model: string): number[] {
  const listed = /^\d+(,\d+)*$/.test(row.description ?? '')
    ? (row.description as string).split(',').map(Number)
    : [];
  return listed.length > 0 ? listed : [Number(row.resource.slice(model.length + 1))];
}

async function attachmentsOn(
  rt: TrytonRuntime,
  model: string,
  ids: readonly number[],
): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  return rt.client.searchRead<Attachment>(
    'ir.attachment',
    [
      ['resource', 'in', ids.map((i) => `${model},${i}`)],
      ['link', 'like', `${TAG_PREFIX}%`],
    ],
    { fields: ['link', 'resource', 'description'] },
  );
}

/**
 * The Fieldsync reference of each record of a page (for reads). The tag sits on the first record of its op;
 * records of one op were created in one call and share its create_date, so the records created together
 * with the untagged ones are the only other places to look.
 */
export async function tagsOfRecords(
  rt: TrytonRuntime,
  model: string,
  rows: readonly { id: number; create_date?: unknown }[],
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const take = (attachments: readonly Attachment[]) => {
    for (const a of attachments) {
      if (typeof a.link !== 'string') continue;
      for (const id of idsListed(a, model)) out.set(id, a.link.slice(TAG_PREFIX.length));
    }
  };
  take(
    await attachmentsOn(
      rt,
      model,
      rows.map((r) => r.id),
    ),
  );
  const dates = [...new Set(rows.filter((r) => !out.has(r.id)).map((r) => r.create_date))].filter(
    (d): d is string => typeof d === 'string',
  );
  if (dates.length === 0) return out;
  const siblings = await rt.client.search(
    model,
    [['create_date', 'in', dates.map((d) => trytonDateTime(d))]],
    {
      context: { active_test: false },
    },
  );
  const asked = new Set(rows.map((r) => r.id));
  take(
    await attachmentsOn(
      rt,
      model,
      siblings.filter((id) => !asked.has(id)),
    ),
  );
  return out;
}
