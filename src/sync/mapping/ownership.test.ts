import { describe, expect, it } from 'vitest';
import { resolveField } from './ownership.js';

const at = { fieldsyncModifiedAt: '2024-01-01T10:00:00.000Z', erpModifiedAt: '2024-01-01T09:00:00.000Z' };

describe('resolveField', () => {
  it('unchanged on both sides: nothing to do', () => {
    expect(resolveField({ owner: 'erp' }, { base: 'a', fieldsync: 'a', erp: 'a' })).toEqual({
      value: 'a',
      winner: 'none',
    });
  });

  it("owned fields: the owner's change flows, the non-owner's change is a reported conflict, never applied", () => {
    expect(resolveField({ owner: 'erp' }, { base: 'a', fieldsync: 'a', erp: 'b' })).toEqual({
      value: 'b',
      winner: 'erp',
    });
    expect(resolveField({ owner: 'erp' }, { base: 'a', fieldsync: 'x', erp: 'a' })).toMatchObject({
      value: 'a',
      winner: 'erp',
      conflict: { kind: 'non_owner_change' },
    });
    expect(resolveField({ owner: 'fieldsync' }, { base: 1, fieldsync: 2, erp: 3 })).toMatchObject({
      value: 2,
      winner: 'fieldsync',
      conflict: { kind: 'non_owner_change' },
    });
  });

  it('shared fields: a one-sided change flows without conflict', () => {
    expect(
      resolveField({ owner: 'shared', rule: 'manual' }, { base: 'a', fieldsync: 'b', erp: 'a' }),
    ).toEqual({ value: 'b', winner: 'fieldsync' });
    expect(
      resolveField({ owner: 'shared', rule: 'manual' }, { base: 'a', fieldsync: 'a', erp: 'c' }),
    ).toEqual({ value: 'c', winner: 'erp' });
    expect(
      resolveField({ owner: 'shared', rule: 'manual' }, { base: 'a', fieldsync: 'z', erp: 'z' }),
    ).toEqual({ value: 'z', winner: 'erp' });
  });

  it('shared fields edited on both sides: each rule decides, and the clash is always reported', () => {
    const v = { base: 'a', fieldsync: 'f', erp: 'e', ...at };
    expect(resolveField({ owner: 'shared', rule: 'latest-wins' }, v)).toMatchObject({
      value: 'f',
      winner: 'fieldsync',
      conflict: { kind: 'concurrent_edit' },
    });
    expect(
      resolveField({ owner: 'shared', rule: 'latest-wins' }, { ...v, erpModifiedAt: v.fieldsyncModifiedAt }),
    ).toMatchObject({ value: 'e', winner: 'erp' });
    expect(resolveField({ owner: 'shared', rule: 'erp-wins-on-conflict' }, v)).toMatchObject({
      value: 'e',
      winner: 'erp',
      conflict: { kind: 'concurrent_edit' },
    });
    expect(resolveField({ owner: 'shared', rule: 'fieldsync-wins-on-conflict' }, v)).toMatchObject({
      value: 'f',
      winner: 'fieldsync',
    });
    expect(resolveField({ owner: 'shared', rule: 'manual' }, v)).toMatchObject({
      value: 'a',
      winner: 'none',
      conflict: { kind: 'concurrent_edit' },
    });
  });

  it('compares structured values deeply', () => {
    const base = { amount: '1.00', currency: 'EUR' };
    expect(resolveField({ owner: 'erp' }, { base, fieldsync: { ...base }, erp: { ...base } })).toEqual({
      value: base,
      winner: 'none',
    });
  });
});
