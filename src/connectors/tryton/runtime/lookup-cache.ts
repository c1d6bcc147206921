import { ConnectorError } from '../../sdk/connector-error.js';
import type { TrytonRef } from '../config.js';

/** An op names a record Tryton does not have: `validation`, since retrying cannot make it exist. */
export const unresolved = (what: string, ref: unknown, hint = ''): ConnectorError =>
  new ConnectorError('validation', `unknown Tryton ${what} ${JSON.stringify(ref)}${hint}`, {
    vendorDetail: { kind: 'reference', what, ref },
  });

/** A numeric ref (number or digits) is a database id. */
export const asId = (ref: TrytonRef): number | undefined =>
  typeof ref === 'number' ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;

/** A small cache of successful look-ups; misses are never cached, so data created later is found. */
export class Cache<V> {
  readonly #entries = new Map<string, { value: V; at: number }>();
  constructor(private readonly ttlMs: number) {}
  peek(key: string): V | undefined {
    const hit = this.#entries.get(key);
    return hit && Date.now() - hit.at < this.ttlMs ? hit.value : undefined;
  }
  set(key: string, value: V): void {
    this.#entries.set(key, { value, at: Date.now() });
  }
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.peek(key);
    if (hit !== undefined) return hit;
    const value = await load();
    this.set(key, value);
    return value;
  }
}
