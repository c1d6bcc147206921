import type { ConnectorRecord, WriteOp, WriteResult } from '../sdk/connector.js';
import { partyReadSpec } from './entities/party/party-read.js';
import { writeParties } from './entities/party/party-write.js';
import type { TrytonEntity } from './manifest.js';
import type { ReadSpec } from './runtime/reader.js';
import type { TrytonRuntime } from './runtime/runtime.js';

/**
 * One entry per entity: how it is read (a ReadSpec for keyset reads, or a custom `readAll` for computed
 * snapshots) and which function writes it. The session dispatches through this table only, so adding an
 * entity is one file per operation plus one line here (n8n v2 style, no if-ladders).
 */
export interface EntityRoute {
  read?: ReadSpec;
  readAll?: (rt: TrytonRuntime) => AsyncIterable<ConnectorRecord>;
  write?: (rt: TrytonRuntime, ops: readonly WriteOp[]) => Promise<WriteResult[]>;
}

export const routes: Readonly<Partial<Record<TrytonEntity, EntityRoute>>> = {
  party: { read: partyReadSpec, write: writeParties },
};
