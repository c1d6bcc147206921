import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config/index.js';

describe('configuration', () => {
  it('defaults to SQLite under ./data with no settings at all', () => {
    const config = loadConfig({ env: {} });
    expect(config.databaseUrl).toBe('sqlite:./data/fieldsync.db');
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8080 });
  });

  it('takes environment variables over the file, and flags over both', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-config-'));
    const file = path.join(dir, 'fieldsync.yaml');
    fs.writeFileSync(file, 'http:\n  port: 9000\n  host: 0.0.0.0\nlog:\n  level: debug\n');
    const config = loadConfig({ file, env: { FIELDSYNC_PORT: '9100' }, overrides: { 'log.level': 'warn' } });
    expect(config.http.port).toBe(9100);
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.log.level).toBe('warn');
  });

  it('names the bad setting and where it came from', () => {
    expect(() => loadConfig({ env: { FIELDSYNC_PORT: 'eighty' } })).toThrow(
      /http\.port \(env FIELDSYNC_PORT\)/,
    );
    expect(() => loadConfig({ env: { FIELDSYNC_LOG_LEVEL: 'loud' } })).toThrow(/log\.level/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-config-'));
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'htp:\n  port: 1\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(/unknown setting htp/);
    expect(() => loadConfig({ file: path.join(dir, 'missing.yaml'), env: {} })).toThrow(/cannot be read/);
  });
});
