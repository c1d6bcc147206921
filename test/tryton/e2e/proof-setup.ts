// The stage of the end-to-end proof: a real Tryton (seeded), a real hub process (`fieldsync serve`) with the
// example flow file pointed at that Tryton, an admin token made with the CLI, and the hub's own database
// (SQLite file, or PostgreSQL). Everything the scenario does after this goes through the hub's REST API.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { Engine } from '../../../src/platform/db/index.js';
import { createTestDatabase } from '../../support/databases.js';
import type { TestDatabase } from '../../support/databases.js';
import { startTryton } from '../../support/tryton/index.js';
import type { TrytonHandle } from '../../support/tryton/index.js';
import { freePort } from '../../support/tryton/free-port.js';
import { configFor } from '../support.js';
import type { GateProxy } from './gate-proxy.js';
import { startGateProxy } from './gate-proxy.js';
import { HubApi } from './hub-api.js';
import type { HubProcess } from './hub-process.js';
import { createToken, hubProcess } from './hub-process.js';
import type { TrytonSeed } from './tryton-seed.js';
import { seedTryton } from './tryton-seed.js';

const example = fileURLToPath(new URL('../../../config/flows/tryton.example.yaml', import.meta.url));

export interface ProofStage {
  tryton: TrytonHandle;
  seed: TrytonSeed;
  /** Present when the hub reaches Tryton through the gate (to pick crash moments). */
  gate: GateProxy | undefined;
  hub: HubProcess;
  api: HubApi;
  close(): Promise<void>;
}

/**
 * The example flow file as shipped, with two changes: the connector points at the test server (or the gate
 * in front of it), and pulls run once at hub start and then only when the scenario asks (POST
 * /v1/sync/pulls/{flow}/run). A scheduled pull could otherwise land under a kill -9, and a run killed
 * mid-page keeps its flow's run lease until it expires (5 minutes), which the scenario cannot wait for.
 */
function flowFile(tryton: TrytonHandle, url: string): string {
  const raw = parse(readFileSync(example, 'utf8')) as {
    connectors: { tryton: { config: Record<string, unknown> } };
    flows: { source: { kind: string; schedule?: { everySeconds: number } } }[];
  };
  raw.connectors.tryton.config = {
    ...raw.connectors.tryton.config,
    ...configFor(tryton, { acknowledgeWarnings: ['stock.move.do'] }),
    url,
  };
  for (const flow of raw.flows) if (flow.source.schedule) flow.source.schedule.everySeconds = 86_400;
  return stringify(raw);
}

export async function startProofStage(options: { engine: Engine; gate: boolean }): Promise<ProofStage> {
  const tryton = await startTryton();
  const cleanups: (() => Promise<void>)[] = [() => tryton.stop()];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const seed = await seedTryton(tryton);
    const gate = options.gate ? await startGateProxy(tryton.url) : undefined;
    if (gate) cleanups.push(() => gate.close());
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fieldsync-e2e-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const flowsFile = path.join(dir, 'flows.yaml');
    await writeFile(flowsFile, flowFile(tryton, gate?.url ?? tryton.url));
    // The hub migrates its database itself; the test only creates and drops it.
    const db: TestDatabase = await createTestDatabase(options.engine, { migrate: false });
    cleanups.push(() => db.drop());
    const token = await createToken(db.url);
    const hub = hubProcess({ databaseUrl: db.url, flowsFile, port: await freePort(), token });
    cleanups.push(() => hub.stop());
    await hub.start();
    return { tryton, seed, gate, hub, api: new HubApi(hub), close };
  } catch (error) {
    await close();
    throw error;
  }
}
