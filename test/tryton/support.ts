import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TrytonConnectorConfig, TrytonConnectorConfigInput } from '../../src/connectors/tryton/index.js';
import { trytonConfigSchema } from '../../src/connectors/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';

/** The connector config for a harness server (admin login), with overrides. */
export function configFor(
  tryton: TrytonHandle,
  overrides: Partial<TrytonConnectorConfigInput> = {},
): TrytonConnectorConfig {
  return trytonConfigSchema.parse({
    url: tryton.url,
    database: tryton.database,
    login: tryton.adminLogin,
    password: tryton.adminPassword,
    timeouts: { requestMs: 20_000, buttonMs: 60_000 },
    ...overrides,
  });
}

/** A loopback port nobody listens on: bind, read the number, close. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Puts `login` into trytond's login throttle: more than 5 recent failed attempts make every login of that
 * name answer HTTP 429. Failing 6 logins for real would take up to a minute (trytond sleeps 0..2^n−1 s
 * after each), so the attempts are written straight into the database file trytond reads them from.
 */
export function throttleLogin(tryton: TrytonHandle, login: string, attempts = 6): void {
  const db = new Database(path.join(tryton.dir, `${tryton.database}.sqlite`));
  try {
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare(
      `insert into res_user_login_attempt (create_date, create_uid, ip_address, ip_network, login)
       values (datetime('now', '+10 minutes'), 0, '127.0.0.1', '127.0.0.1/32', ?)`,
    );
    for (let i = 0; i < attempts; i += 1) insert.run(login);
  } finally {
    db.close();
  }
}

/** Groups seeds that share a timestamp so each group is one create call (one Tryton transaction stamp). */
export function groupsOf<T extends { modifiedAt: string }>(records: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const record of records) {
    const last = groups[groups.length - 1];
    if (last && last[0]?.modifiedAt === record.modifiedAt) last.push(record);
    else groups.push([record]);
  }
  return groups;
}
