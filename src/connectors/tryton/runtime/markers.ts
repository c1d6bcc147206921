import { trytonDateTime } from '../transport/index.js';
import { likeEscape } from './described.js';
import { TAG_PREFIX } from './references.js';
import type { TrytonRuntime } from './runtime.js';

/**
 * Tryton 6.0 stock moves and inventories have no text field for an external reference (`origin` only takes
 * records of a few models), so Fieldsync tags them with a link attachment (`ir.attachment`, type link). The
 * attachment shows on the record in the Tryton client.
 *
 * Creating records and their tag are two calls. The protocol keeps retries exact anyway: records are
 * created in draft (no stock effect), then tagged, then executed (`do`, `confirm`). A crash between the
 * create and the tag leaves untagged drafts that move no stock; the retry creates and tags new ones. A
 * crash after the tag finds the drafts by their tag and only executes them.
 *
 * One attachment per create call (a "batch mark"), on the call's first record, tags every record the call
 * made: `link` = {@link BATCH_MARK_LINK}, `name` = the ops' labels (work-order numbers) for people, and
 * `description` one line per op, `<tag> TAB <record ids> TAB <label>` (see {@link formatBatchMark}). A
 * batch of 200 events costs one attachment, not 200.
 *
 * Databases written before batch marks hold one attachment per op: `link` = the tag, `description` = the
 * op's record ids (or empty: the resource's id). Both are read everywhere (look-ups and reads).
 */
export const BATCH_MARK_LINK = 'fieldsync-tags';

/** What one op created in one call, as a batch mark lists it. */
export interface Mark {
  tag: string;
  /** Record ids the op created, in id order. */
  ids: readonly number[];
  /** The op's label (e.g. the work-order number). */
  label: string;
}

export interface Marked {
  /** Record ids tagged with the reference, in id order. */
  ids: number[];
}

/** What a mark's fields hold on the wire; ids listed are decimal. */
type Attachment = { link: string | null; resource: string; description: string | null };

const IDS = /^\d+(,\d+)*$/;

// A line's fields never hold a raw tab, line feed or carriage return, so lines and fields split exactly.
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };
const escapeField = (text: string): string => text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string);
const unescapeField = (text: string): string => text.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c);

/** The description of a batch mark: one line per op with records, `<tag>\t<id,id,...>\t<label>`. */
export function formatBatchMark(marks: readonly Mark[]): string {
  return marks
    .filter((m) => m.ids.length > 0)
    .map((m) => `${escapeField(m.tag)}\t${m.ids.join(',')}\t${escapeField(m.label)}`)
    .join('\n');
}

/** The ops a batch mark's description lists; lines that do not parse are skipped. */
export function parseBatchMark(description: string | null): Mark[] {
  const out: Mark[] = [];
  for (const line of (description ?? '').split('\n')) {
    const [tag, ids, label, ...rest] = line.split('\t');
    if (tag === undefined || tag === '' || ids === undefined || !IDS.test(ids) || rest.length > 0) continue;
    out.push({ tag: unescapeField(tag), ids: ids.split(',').map(Number), label: unescapeField(label ?? '') });
  }
  return out;
}

/** Char fields refuse tabs and line breaks; long lists are cut (the description has them all). */
export function batchMarkName(labels: readonly string[], maxLength = 200): string {
  const unique = [...new Set(labels.map((l) => l.replace(/[\t\n\r\v\f]+/g, ' ').trim()).filter(Boolean))];
  if (unique.length === 0) return 'Fieldsync';
  let name = unique[0] as string;
  let shown = 1;
  for (const label of unique.slice(1)) {
    const more = unique.length - shown - 1;
    const tail = more > 0 ? ` … (+${more} more)` : '';
    if (name.length + 2 + label.length + tail.length > maxLength) break;
    name += `, ${label}`;
    shown += 1;
  }
  const rest = unique.length - shown;
  return rest > 0 ? `${name} … (+${rest} more)` : name;
}

/** Every (tag, ids) an attachment carries, in either format. */
function marksOf(row: Attachment, model: string): { tag: string; ids: readonly number[] }[] {
  if (row.link === BATCH_MARK_LINK) return parseBatchMark(row.description);
  if (typeof row.link !== 'string' || !row.link.startsWith(TAG_PREFIX)) return [];
  // A per-op attachment (written before batch marks).
  const listed = IDS.test(row.description ?? '') ? (row.description as string).split(',').map(Number) : [];
  const ids = listed.length > 0 ? listed : [Number(row.resource.slice(model.length + 1))];
  return ids.every(Number.isInteger) ? [{ tag: row.link, ids }] : [];
}

/**
 * The records an earlier attempt tagged, for the tags of ops that may have been sent before (the caller
 * leaves out first attempts). One search: per-op attachments by `link`, batch marks by a LIKE on their
 * description. That LIKE cannot use an index and reads every batch mark of the database (the `link`
 * condition leaves the per-op ones out): acceptable because only retries pay it, never a first attempt.
 * `like`, not `ilike`: on PostgreSQL Tryton 6.0 turns `ilike` on a Text field into a full-text search.
 */
export async function findMarked(
  rt: TrytonRuntime,
  model: string,
  tags: readonly string[],
): Promise<Map<string, Marked>> {
  const out = new Map<string, Marked>();
  const wanted = new Set(tags);
  if (wanted.size === 0) return out;
  const rows = await rt.client.searchRead<Attachment>(
    'ir.attachment',
    [
      ['resource', 'like', `${model},%`],
      [
        'OR',
        ['link', 'in', [...wanted]],
        [
          ['link', '=', BATCH_MARK_LINK],
          ['OR', ...[...wanted].map((tag) => ['description', 'like', `%${likeEscape(escapeField(tag))}\t%`])],
        ],
      ],
    ],
    { fields: ['link', 'resource', 'description'], order: [['id', 'ASC']] },
  );
  for (const row of rows) {
    for (const { tag, ids } of marksOf(row, model)) {
      // LIKE ignores case on SQLite and matches inside longer tags: only exact tags count.
      if (!wanted.has(tag)) continue;
      const entry = out.get(tag) ?? { ids: [] };
      entry.ids.push(...ids.filter((id) => !entry.ids.includes(id)));
      out.set(tag, entry);
    }
  }
  for (const entry of out.values()) entry.ids.sort((a, b) => a - b);
  return out;
}

/**
 * Tags what a write created: one batch mark per successful create call (one in all unless a refusal split
 * the batch), all in one `ir.attachment.create`. Each mark sits on its call's first record: records of
 * one call share its create_date, which is how reads find the mark of the others (`tagsOfRecords`).
 */
export async function markRecords(
  rt: TrytonRuntime,
  model: string,
  calls: readonly (readonly Mark[])[],
): Promise<void> {
  const values = calls.flatMap((call) => {
    const marks = call.filter((m) => m.ids.length > 0);
    const first = marks[0]?.ids[0];
    if (first === undefined) return [];
    return [
      {
        name: batchMarkName(marks.map((m) => m.label)),
        type: 'link',
        link: BATCH_MARK_LINK,
        resource: `${model},${first}`,
        description: formatBatchMark(marks),
      },
    ];
  });
  if (values.length > 0) await rt.client.create('ir.attachment', values);
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
      ['OR', ['link', '=', BATCH_MARK_LINK], ['link', 'like', `${TAG_PREFIX}%`]],
    ],
    { fields: ['link', 'resource', 'description'] },
  );
}

/**
 * The Fieldsync reference of each record of a page (for reads). A tag sits on the first record of its
 * create call; records of one call share its create_date, so the records created together with the
 * untagged ones are the only other places to look.
 */
export async function tagsOfRecords(
  rt: TrytonRuntime,
  model: string,
  rows: readonly { id: number; create_date?: unknown }[],
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const take = (attachments: readonly Attachment[]) => {
    for (const a of attachments) {
      for (const { tag, ids } of marksOf(a, model)) {
        if (!tag.startsWith(TAG_PREFIX)) continue;
        for (const id of ids) out.set(id, tag.slice(TAG_PREFIX.length));
      }
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
