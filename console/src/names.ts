import type { Listed } from './api.js';
import { getAll } from './api.js';

/**
 * Names for the ids the operations APIs return (items, warehouses, customers, technicians). These lists
 * are small master data; each is fetched once per minute at most and shared by every page.
 */
export interface Item {
  id: string;
  sku: string;
  name: string;
  unit: string;
  kind: string;
}
export interface Warehouse {
  id: string;
  code: string;
  name: string;
  kind: string;
  region: string;
  status: string;
}
export interface Customer {
  id: string;
  code: string | null;
  name: string;
  sites: { id: string; name: string; line1: string; city: string; region: string | null }[];
}
export interface Technician {
  id: string;
  code: string;
  name: string;
  region: string;
}

const ttlMs = 60_000;
const cache = new Map<string, { at: number; value: Promise<Listed<unknown>> }>();

/** A master list, `truncated` past the first 10,000 rows (pages say so where it matters). */
function cached<T>(path: string): Promise<Listed<T>> {
  const hit = cache.get(path);
  if (hit && Date.now() - hit.at < ttlMs) return hit.value as Promise<Listed<T>>;
  const value = getAll<T>(path);
  cache.set(path, { at: Date.now(), value });
  value.catch(() => cache.delete(path));
  return value;
}

export const items = () => cached<Item>('/items');
export const warehouses = () => cached<Warehouse>('/warehouses');
export const customers = () => cached<Customer>('/customers');
export const technicians = () => cached<Technician>('/technicians');

export async function byId<T extends { id: string }>(list: Promise<T[]>): Promise<Map<string, T>> {
  return new Map((await list).map((x) => [x.id, x]));
}

/** Regions known from warehouses and technicians, sorted: the planning and stock filters offer these. */
export async function regions(): Promise<string[]> {
  const [w, t] = await Promise.all([warehouses(), technicians()]);
  return [...new Set([...w.map((x) => x.region), ...t.map((x) => x.region)])].sort();
}
