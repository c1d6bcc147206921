import type { Generated } from 'kysely';

/** One bulk replay of dead letters: who asked, with which selector, how many went back to the queue. */
export interface SyncReplaysTable {
  id: string;
  requested_by: string;
  /** JSON of the selector as given (ids or filter, or `{ "all": true }`). */
  selector: string;
  total: number;
  created_at: string;
  /** The final counts, stored once nothing of the replay is pending (null until then). */
  delivered: number | null;
  dead: number | null;
  /** JSON of the first letters dead again, with their error, as they were when the replay finished. */
  still_dead: string | null;
  /** When the replay was first seen with nothing pending; its figures are final from then on. */
  finished_at: string | null;
}

/**
 * The deliveries a replay put back in the queue; their current status is the replay's progress until it
 * finishes. Pruned some days after that (the final counts stay on the replay).
 */
export interface SyncReplayItemsTable {
  id: Generated<number>;
  replay_id: string;
  delivery_id: number;
}

export interface SyncReplayTables {
  sync_replays: SyncReplaysTable;
  sync_replay_items: SyncReplayItemsTable;
}
