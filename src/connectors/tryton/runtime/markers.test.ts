import { describe, expect, it } from 'vitest';
import type { WriteOp } from '../../sdk/connector.js';
import { likeEscape } from './described.js';
import {
  BATCH_MARK_LINK,
  batchMarkName,
  findMarked,
  formatBatchMark,
  markRecords,
  parseBatchMark,
  tagsOfRecords,
} from './markers.js';
import { lookUpBeforeCreate } from './references.js';
import type { TrytonRuntime } from './runtime.js';

/** A runtime whose client answers searchRead from `rows` and records every call it gets. */
function fakeRuntime(rows: Record<string, unknown>[] = []) {
  const calls: { method: string; model: string; args: unknown[] }[] = [];
  const client = {
    searchRead: (model: string, ...args: unknown[]) => {
      calls.push({ method: 'search_read', model, args });
      return Promise.resolve(rows);
    },
    search: (model: string, ...args: unknown[]) => {
      calls.push({ method: 'search', model, args });
      return Promise.resolve([]);
    },
    create: (model: string, ...args: unknown[]) => {
      calls.push({ method: 'create', model, args });
      return Promise.resolve([1]);
    },
  };
  return { rt: { client } as unknown as TrytonRuntime, calls };
}

describe('batch marks', () => {
  it('lists every op of a create call as `tag TAB ids TAB label`, and reads it back', () => {
    const marks = [
      { tag: 'fieldsync:flow:a', ids: [10, 11], label: 'WO-1' },
      { tag: 'fieldsync:flow:b', ids: [], label: 'WO-2' },
      { tag: 'fieldsync:flow:c', ids: [12], label: 'WO-3' },
    ];
    const text = formatBatchMark(marks);
    expect(text).toBe('fieldsync:flow:a\t10,11\tWO-1\nfieldsync:flow:c\t12\tWO-3');
    expect(parseBatchMark(text)).toEqual([marks[0], marks[2]]);
  });

  it('escapes tabs, line breaks and backslashes inside a tag or label, so lines split exactly', () => {
    const odd = { tag: 'fieldsync:a\tb\nc\\t', ids: [7], label: 'line 1\nline 2\r\\' };
    const text = formatBatchMark([odd, { tag: 'fieldsync:x', ids: [8], label: '' }]);
    expect(text.split('\n')).toHaveLength(2);
    expect(parseBatchMark(text)).toEqual([odd, { tag: 'fieldsync:x', ids: [8], label: '' }]);
  });

  it('skips lines that are not marks (hand edits, an empty description)', () => {
    expect(parseBatchMark(null)).toEqual([]);
    expect(parseBatchMark('')).toEqual([]);
    expect(
      parseBatchMark('a note\nfieldsync:a\t1,x\tL\nfieldsync:b\t2\tL\textra\n\t3\tL\nfieldsync:c\t4'),
    ).toEqual([{ tag: 'fieldsync:c', ids: [4], label: '' }]);
  });

  it('names the mark with the labels people look for, cut to a length with the count of the rest', () => {
    expect(batchMarkName(['WO-1'])).toBe('WO-1');
    expect(batchMarkName(['WO-1', 'WO-2', 'WO-1'])).toBe('WO-1, WO-2');
    expect(batchMarkName(['a\tb', ' c\n'])).toBe('a b, c');
    expect(batchMarkName([])).toBe('Fieldsync');
    const many = Array.from({ length: 200 }, (_, i) => `WO-2026-${String(i).padStart(5, '0')}`);
    const name = batchMarkName(many);
    expect(name.length).toBeLessThanOrEqual(200);
    expect(name).toMatch(/^WO-2026-00000, WO-2026-00001, .* … \(\+\d+ more\)$/);
    const shown = name.split(' … ')[0]?.split(', ').length ?? 0;
    expect(name.endsWith(`(+${200 - shown} more)`)).toBe(true);
  });

  it('escapes LIKE wildcards and the backslash Tryton sends as ESCAPE', () => {
    expect(likeEscape('fieldsync:a_b%c\\d')).toBe('fieldsync:a\\_b\\%c\\\\d');
  });
});

describe('findMarked', () => {
  it('makes no call for no tags (a batch of first attempts)', async () => {
    const { rt, calls } = fakeRuntime();
    expect((await findMarked(rt, 'stock.move', [])).size).toBe(0);
    expect(calls).toEqual([]);
  });

  it('finds batch marks and per-op attachments in one search, and keeps only exact tags', async () => {
    const { rt, calls } = fakeRuntime([
      // Per-op attachments written before batch marks: ids listed, or the resource alone.
      { link: 'fieldsync:old-1', resource: 'stock.move,3', description: '3,4' },
      { link: 'fieldsync:old-2', resource: 'stock.move,5', description: null },
      {
        link: BATCH_MARK_LINK,
        resource: 'stock.move,20',
        description: formatBatchMark([
          { tag: 'fieldsync:new-1', ids: [20], label: 'A' },
          { tag: 'fieldsync:NEW-2', ids: [21], label: 'case differs: SQLite LIKE matched it' },
          { tag: 'fieldsync:new-2', ids: [22, 23], label: 'B' },
          { tag: 'fieldsync:other', ids: [24], label: 'not asked' },
        ]),
      },
    ]);
    const tags = [
      'fieldsync:old-1',
      'fieldsync:old-2',
      'fieldsync:new-1',
      'fieldsync:new-2',
      'fieldsync:x_y',
    ];
    const found = await findMarked(rt, 'stock.move', tags);
    expect(Object.fromEntries([...found].map(([tag, m]) => [tag, m.ids]))).toEqual({
      'fieldsync:old-1': [3, 4],
      'fieldsync:old-2': [5],
      'fieldsync:new-1': [20],
      'fieldsync:new-2': [22, 23],
    });
    expect(calls).toHaveLength(1);
    const [domain] = calls[0]?.args as [unknown[]];
    expect(domain).toEqual([
      ['resource', 'like', 'stock.move,%'],
      [
        'OR',
        ['link', 'in', tags],
        [
          ['link', '=', BATCH_MARK_LINK],
          ['OR', ...tags.map((t) => ['description', 'like', `%${likeEscape(t)}\t%`])],
        ],
      ],
    ]);
  });
});

describe('markRecords', () => {
  it('writes one attachment per create call, on its first record, in one create', async () => {
    const { rt, calls } = fakeRuntime();
    await markRecords(rt, 'stock.move', [
      [
        { tag: 'fieldsync:a', ids: [], label: 'no parts' },
        { tag: 'fieldsync:b', ids: [31, 32], label: 'WO-2' },
        { tag: 'fieldsync:c', ids: [33], label: 'WO-3' },
      ],
      [{ tag: 'fieldsync:d', ids: [40], label: 'WO-4' }],
      [{ tag: 'fieldsync:e', ids: [], label: 'nothing created' }],
    ]);
    expect(calls).toEqual([
      {
        method: 'create',
        model: 'ir.attachment',
        args: [
          [
            {
              name: 'WO-2, WO-3',
              type: 'link',
              link: BATCH_MARK_LINK,
              resource: 'stock.move,31',
              description: 'fieldsync:b\t31,32\tWO-2\nfieldsync:c\t33\tWO-3',
            },
            {
              name: 'WO-4',
              type: 'link',
              link: BATCH_MARK_LINK,
              resource: 'stock.move,40',
              description: 'fieldsync:d\t40\tWO-4',
            },
          ],
        ],
      },
    ]);
  });

  it('makes no call when nothing was created', async () => {
    const { rt, calls } = fakeRuntime();
    await markRecords(rt, 'stock.move', [[{ tag: 'fieldsync:a', ids: [], label: 'x' }]]);
    expect(calls).toEqual([]);
  });
});

describe('tagsOfRecords', () => {
  it('maps every record a batch mark or a per-op attachment lists to its reference', async () => {
    const { rt } = fakeRuntime([
      { link: 'fieldsync:old', resource: 'stock.move,1', description: '1,2' },
      {
        link: BATCH_MARK_LINK,
        resource: 'stock.move,3',
        description: formatBatchMark([
          { tag: 'fieldsync:a', ids: [3], label: 'A' },
          { tag: 'fieldsync:b', ids: [4, 5], label: 'B' },
        ]),
      },
    ]);
    const tags = await tagsOfRecords(
      rt,
      'stock.move',
      [1, 2, 3, 4, 5].map((id) => ({ id })),
    );
    expect(Object.fromEntries(tags)).toEqual({ 1: 'old', 2: 'old', 3: 'a', 4: 'b', 5: 'b' });
  });
});

describe('lookUpBeforeCreate', () => {
  const op = (extra: Partial<WriteOp>): WriteOp => ({
    idempotencyKey: 'k',
    op: 'create',
    payload: {},
    ...extra,
  });
  it('skips the look-up only for a first attempt whose reference is its own key', () => {
    expect(lookUpBeforeCreate(op({ firstAttempt: true }))).toBe(false);
    expect(lookUpBeforeCreate(op({}))).toBe(true);
    expect(lookUpBeforeCreate(op({ firstAttempt: true, payload: { reference: 'TR-1' } }))).toBe(true);
    expect(lookUpBeforeCreate(op({ firstAttempt: true, payload: { reference: '  ' } }))).toBe(false);
  });
});
