import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnectorRecord } from './connector.js';
import { compareCursor, cursorOf, isAfterCursor, recordVersionKey, withOverlap } from './cursor.js';

const rec = (externalId: string, modifiedAt: string): ConnectorRecord => ({
  externalId,
  modifiedAt,
  data: {},
});

describe('keyset cursor helpers', () => {
  it('orders by modifiedAt, then id', () => {
    expect(
      compareCursor(
        { modifiedAt: '2024-01-01T00:00:00.000Z', id: 'b' },
        { modifiedAt: '2024-01-01T00:00:00.000Z', id: 'a' },
      ),
    ).toBe(1);
    expect(
      compareCursor(
        { modifiedAt: '2024-01-01T00:00:00.000Z', id: 'z' },
        { modifiedAt: '2024-01-01T00:00:00.001Z', id: 'a' },
      ),
    ).toBe(-1);
    expect(
      isAfterCursor(rec('a', '2024-01-01T00:00:00.000Z'), cursorOf(rec('a', '2024-01-01T00:00:00.000Z'))),
    ).toBe(false);
    expect(isAfterCursor(rec('a', '2024-01-01T00:00:00.000Z'), null)).toBe(true);
  });

  it('overlap moves back in time and includes every id at that instant', () => {
    const moved = withOverlap({ modifiedAt: '2024-01-01T00:01:00.000Z', id: 'X-9' }, 30);
    expect(moved).toEqual({ modifiedAt: '2024-01-01T00:00:30.000Z', id: '' });
    expect(isAfterCursor(rec('A', '2024-01-01T00:00:30.000Z'), moved)).toBe(true);
    expect(withOverlap(null, 30)).toBeNull();
  });

  it('paging by keyset visits every record exactly once, whatever the timestamp collisions (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.string({ minLength: 1, maxLength: 3 })), {
          selector: (t) => t[1],
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 7 }),
        (rows, limit) => {
          const records = rows
            .map(([s, id]) => rec(id, new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString()))
            .sort((a, b) => compareCursor(cursorOf(a), cursorOf(b)));
          const seen: string[] = [];
          let cursor = null as ReturnType<typeof cursorOf> | null;
          for (let n = 0; n <= records.length; n += 1) {
            const page = records.filter((r) => isAfterCursor(r, cursor)).slice(0, limit);
            if (page.length === 0) break;
            seen.push(...page.map(recordVersionKey));
            cursor = cursorOf(page[page.length - 1] as ConnectorRecord);
          }
          expect(seen).toEqual(records.map(recordVersionKey));
        },
      ),
    );
  });
});
