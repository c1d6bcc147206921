import type { Generated } from 'kysely';

/** The transactional outbox: one row per CloudEvent, written in the transaction of its business write. */
export interface OutboxEventsTable {
  /** Global commit-order position; consumers read in this order. */
  position: Generated<number>;
  id: string;
  source: string;
  type: string;
  subject: string;
  /** 1, 2, 3... per subject, so one record's events can be kept in order. */
  sequence: number;
  time: string;
  data: string;
}

export interface SubjectSequencesTable {
  subject: string;
  last_sequence: number;
}

export interface OutboxTables {
  outbox_events: OutboxEventsTable;
  subject_sequences: SubjectSequencesTable;
}
