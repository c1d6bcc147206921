import type { MappingSpec } from './mapping-spec.js';
import { describeTransform } from './transforms.js';

export interface MappingTableRow {
  target: string;
  source: string;
  transforms: string;
  ownership: string;
  required: string;
  default: string;
}

const columns: readonly { key: keyof MappingTableRow; title: string }[] = [
  { key: 'target', title: 'target field' },
  { key: 'source', title: 'source' },
  { key: 'transforms', title: 'transforms' },
  { key: 'ownership', title: 'owner/rule' },
  { key: 'required', title: 'required' },
  { key: 'default', title: 'default' },
];

const show = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

/** The mapping as rows, one per target field, in declaration order (the API returns these). */
export function mappingTableRows(spec: MappingSpec): MappingTableRow[] {
  return Object.entries(spec.fields).map(([target, field]) => {
    const defaults = field.transform.flatMap((t) => {
      if (t.kind === 'default' || t.kind === 'constant') return [show(t.args.value)];
      if ((t.kind === 'valueMap' || t.kind === 'lookup') && t.args.onMissing === 'default')
        return [show(t.args.default)];
      return [];
    });
    const concat = field.transform.find((t) => t.kind === 'concat');
    const source =
      field.from ??
      (concat?.kind === 'concat'
        ? concat.args.parts.filter((p): p is string => typeof p === 'string').join(' + ')
        : '') ??
      '';
    return {
      target,
      source: source === '' ? '—' : source,
      transforms: field.transform.length === 0 ? '—' : field.transform.map(describeTransform).join(' → '),
      ownership: field.owner === 'shared' ? `shared (${field.rule ?? '?'})` : field.owner,
      required: field.required ? 'yes' : 'no',
      default: defaults.length === 0 ? '—' : defaults.join(', '),
    };
  });
}

export type MappingTableFormat = 'text' | 'markdown';

/** Renders the mapping for people: aligned plain text for the CLI, or a markdown table for docs. */
export function renderMappingTable(
  spec: MappingSpec,
  options: { format?: MappingTableFormat; title?: string } = {},
): string {
  const rows = mappingTableRows(spec);
  const format = options.format ?? 'text';
  const lines: string[] = [];
  if (format === 'markdown') {
    if (options.title !== undefined) lines.push(`### ${options.title}`, '');
    const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
    lines.push(`| ${columns.map((c) => c.title).join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`);
    for (const row of rows) lines.push(`| ${columns.map((c) => cell(row[c.key])).join(' | ')} |`);
    return `${lines.join('\n')}\n`;
  }
  const widths = columns.map((c) => Math.max(c.title.length, ...rows.map((r) => [...r[c.key]].length)));
  const line = (cells: string[]): string =>
    cells
      .map((s, i) => s + ' '.repeat((widths[i] ?? 0) - [...s].length))
      .join('  ')
      .trimEnd();
  if (options.title !== undefined) lines.push(options.title);
  lines.push(line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) lines.push(line(columns.map((c) => row[c.key])));
  return `${lines.join('\n')}\n`;
}
