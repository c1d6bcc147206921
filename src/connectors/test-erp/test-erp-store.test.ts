import { describe, expect, it } from 'vitest';
import { TestErpStore } from './test-erp-store.js';

describe('test ERP store, look-up by reference (indexed)', () => {
  const store = () => new TestErpStore({ entities: ['customer'] });

  it('finds what creates and seeds put in, and forgets what is removed', () => {
    const s = store();
    const created = s.apply('customer', { op: 'create', reference: 'r1', data: { name: 'A' } });
    expect(s.findByReference('customer', 'r1')?.id).toBe(created.id);
    expect(s.apply('customer', { op: 'create', reference: 'r1', data: { name: 'B' } }).status).toBe(409);
    s.apply('customer', { op: 'upsert', reference: 'r1', data: { name: 'C' } });
    expect(s.findByReference('customer', 'r1')?.data.name).toBe('C');
    expect(s.remove('customer', created.id as string)).toBe(true);
    expect(s.findByReference('customer', 'r1')).toBeUndefined();
    expect(s.apply('customer', { op: 'create', reference: 'r1', data: { name: 'D' } }).status).toBe(201);
    expect(s.findByReference('customer', 'missing')).toBeUndefined();
  });

  it('keeps insertion order when seeds share a reference, and follows a reference a seed changes', () => {
    const s = store();
    const [first, second] = s.seed('customer', [
      { id: 'C1', reference: 'dup', data: { name: 'first' } },
      { id: 'C2', reference: 'dup', data: { name: 'second' } },
    ]);
    expect(s.findByReference('customer', 'dup')?.id).toBe(first?.id);
    s.mutate('customer', 'C1', { name: 'first, edited' });
    expect(s.findByReference('customer', 'dup')?.id).toBe('C1');
    s.remove('customer', 'C1');
    expect(s.findByReference('customer', 'dup')?.id).toBe(second?.id);
    s.seed('customer', [{ id: 'C2', reference: 'moved', data: { name: 'second' } }]);
    expect(s.findByReference('customer', 'dup')).toBeUndefined();
    expect(s.findByReference('customer', 'moved')?.id).toBe('C2');
  });
});
