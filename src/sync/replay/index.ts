export { pruneReplays } from './prune-replays.js';
export { getReplay, listReplays } from './replay-progress.js';
export type { ReplayProgress, StillDead } from './replay-progress.js';
export { startReplay } from './start-replay.js';
export type { ReplaySelector, StartedReplay } from './start-replay.js';
export type { SyncReplayItemsTable, SyncReplaysTable, SyncReplayTables } from './tables.js';
