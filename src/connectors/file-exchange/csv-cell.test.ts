import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FORMULA_TRIGGERS,
  neutraliseCell,
  restoreCell,
  startsWithFormulaTrigger,
  strictDecimalPattern,
} from './csv-cell.js';

const cell = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", "''", "'=", '-1', '-1.5', '+1', '1e5'),
);

describe('CSV formula guard (R15)', () => {
  it('no neutralised cell starts with = + - @ tab CR (property)', () => {
    fc.assert(
      fc.property(cell, (value) => {
        expect(startsWithFormulaTrigger(neutraliseCell(value))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('numeric columns let strict decimal numerals through and nothing else (property)', () => {
    fc.assert(
      fc.property(cell, (value) => {
        const out = neutraliseCell(value, { numeric: true });
        if (startsWithFormulaTrigger(out)) expect(strictDecimalPattern.test(out) && out === value).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('restoreCell undoes neutraliseCell exactly (property)', () => {
    fc.assert(
      fc.property(cell, fc.boolean(), (value, numeric) => {
        expect(restoreCell(neutraliseCell(value, { numeric }))).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('follows OWASP: a single quote in front', () => {
    expect(neutraliseCell('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(neutraliseCell('@cmd')).toBe("'@cmd");
    expect(neutraliseCell('-1')).toBe("'-1");
    expect(neutraliseCell('-1', { numeric: true })).toBe('-1');
    expect(neutraliseCell('-1+2', { numeric: true })).toBe("'-1+2");
    expect(neutraliseCell('plain')).toBe('plain');
    expect(restoreCell("'plain")).toBe("'plain");
    expect([...FORMULA_TRIGGERS].sort()).toEqual(['\t', '\r', '+', '-', '=', '@'].sort());
  });
});
