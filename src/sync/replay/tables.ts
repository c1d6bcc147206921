import type { Generated } from 'kysely';

/** One bulk replay of dead letters: who asked, with which selector, how many went back to the queue. */
export interface SyncReplaysTable {
  id: string;
  requested_by: string;
  /** JSON of the selector as given (ids or filter, or `{ "all": true }`). */
  selector: string;
  total: number;
  created_at: string;
}

/** The deliveries a replay put back in the queue; their current status is the replay's progress. */
export interface SyncReplayItemsTable {
  id: Generated<number>;
  replay_id: string;
  delivery_id: number;
}

export interface SyncReplayTables {
  sync_replays: SyncReplaysTable;
  sync_replay_items: SyncReplayItemsTable;
}
