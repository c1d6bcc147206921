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
  const rows = await rt.client.searchRead<{ link: string; resource: string }>(
    'ir.attachment',
    [
      ['link', 'in', [...new Set(tags)]],
      ['resource', 'like', `${model},%`],
    ],
    { fields: ['link', 'resource'], order: [['id', 'ASC']] },
  );
  for (const row of rows) {
    const id = Number(row.resource.slice(model.length + 1));
    if (!Number.isInteger(id)) continue;
    const entry = out.get(row.link) ?? { ids: [] };
    entry.ids.push(id);
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
  const values = marks.flatMap((m) =>
    m.ids.map((id) => ({
      name: m.label,
      type: 'link',
      link: m.tag,
      resource: `${model},${id}`,
      description: `Written by Fieldsync; reference ${m.tag}`,
    })),
  );
  if (values.length > 0) await rt.client.create('ir.attachment', values);
}
