import { describe, expect, it } from 'vitest';
import { mappingSpecSchema } from './mapping-spec.js';
import { mappingTableRows, renderMappingTable } from './mapping-table.js';

const spec = mappingSpecSchema.parse({
  fields: {
    cost_center: {
      from: 'site.region',
      owner: 'erp',
      required: true,
      transform: [{ lookup: { table: 'costCenterByRegion' } }],
    },
    state: {
      from: 'status',
      owner: 'fieldsync',
      transform: [{ valueMap: { map: { done: 'closed' }, onMissing: 'default', default: 'draft' } }],
    },
    label: {
      owner: 'shared',
      rule: 'latest-wins',
      transform: [{ concat: { parts: ['first', 'last'], sep: ' | ' } }],
    },
  },
});

describe('mapping table', () => {
  it('lists target, source, transforms, owner/rule, required and default per field', () => {
    expect(mappingTableRows(spec)).toEqual([
      {
        target: 'cost_center',
        source: 'site.region',
        transforms: 'lookup(costCenterByRegion)',
        ownership: 'erp',
        required: 'yes',
        default: '—',
      },
      {
        target: 'state',
        source: 'status',
        transforms: 'valueMap(1 entry, onMissing=default)',
        ownership: 'fieldsync',
        required: 'no',
        default: '"draft"',
      },
      {
        target: 'label',
        source: 'first + last',
        transforms: 'concat(first, last; sep " | ")',
        ownership: 'shared (latest-wins)',
        required: 'no',
        default: '—',
      },
    ]);
  });

  it('renders aligned plain text', () => {
    const text = renderMappingTable(spec, { title: 'flow wo-to-erp' });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flow wo-to-erp');
    expect(lines[1]).toMatch(/^target field +source +transforms/);
    // Every column starts at the same offset on every line.
    const offset = (lines[1] as string).indexOf('owner/rule');
    for (const line of lines.slice(3)) expect(line.slice(offset)).toMatch(/^(erp|fieldsync|shared)/);
  });

  it('renders markdown with pipes escaped', () => {
    const md = renderMappingTable(spec, { format: 'markdown' });
    expect(md.split('\n')[0]).toBe(
      '| target field | source | transforms | owner/rule | required | default |',
    );
    expect(md).toContain(
      '| label | first + last | concat(first, last; sep " \\| ") | shared (latest-wins) | no | — |',
    );
  });
});
