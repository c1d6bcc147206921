import { describe, expect, it } from 'vitest';
import { connectorRegistry } from '../registry.js';
import { trytonConfigSchema } from './config.js';
import { TRYTON_ENTITIES, trytonManifest } from './manifest.js';
import { routes } from './router.js';

describe('tryton manifest', () => {
  it('declares exactly what the router implements, entity by entity', () => {
    expect(Object.keys(trytonManifest.entities).sort()).toEqual([...TRYTON_ENTITIES].sort());
    for (const entity of TRYTON_ENTITIES) {
      const declared = trytonManifest.entities[entity];
      const route = routes[entity];
      expect(declared.operations.includes('readChanges'), `${entity} readChanges`).toBe(
        route.read !== undefined || route.changes !== undefined,
      );
      expect(declared.operations.includes('readAll'), `${entity} readAll`).toBe(
        route.read !== undefined || route.readAll !== undefined,
      );
      expect(declared.operations.includes('writeBatch'), `${entity} writeBatch`).toBe(
        route.write !== undefined,
      );
      expect(declared.writeOps.length > 0, `${entity} writeOps`).toBe(route.write !== undefined);
    }
  });

  it('is registered as "tryton"', () => {
    expect(connectorRegistry.tryton?.manifest).toBe(trytonManifest);
  });

  it('config: defaults for a minimal config, precise refusals for bad values', () => {
    const config = trytonConfigSchema.parse({
      url: 'http://127.0.0.1:8000',
      database: 'db',
      login: 'a',
      password: 'p',
    });
    expect(config).toMatchObject({
      invoiceState: 'posted',
      stockMoveState: 'done',
      acknowledgeWarnings: false,
      maxInFlight: 1,
      locations: { storage: 'stock.location_storage', consumption: 'stock.location_customer' },
      timeouts: { requestMs: 30_000, buttonMs: 120_000 },
    });
    const bad = trytonConfigSchema.safeParse({
      url: 'ftp://x',
      database: 'db',
      login: 'a',
      password: 'p',
      invoiceState: 'sent',
      maxInFlight: 0,
      extra: 1,
    });
    expect(bad.success).toBe(false);
    const paths = bad.success ? [] : bad.error.issues.map((i) => i.path.join('.') || i.code);
    expect(paths).toEqual(expect.arrayContaining(['url', 'invoiceState', 'maxInFlight']));
  });
});
