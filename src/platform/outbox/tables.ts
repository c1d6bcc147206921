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

/** A subscriber (a sync flow, a webhook endpoint) wants events whose type matches `type_pattern`. */
export interface OutboxSubscriptionsTable {
  subscriber: string;
  /** An exact type (`customer.created`) or a prefix pattern (`customer.*`, `*`). */
  type_pattern: string;
}

/**
 * One row per (subscriber, event), created in the same transaction as the event, so a subscriber can
 * never miss an event that committed. The sync engine leases and acknowledges these rows.
 */
export interface OutboxDeliveriesTable {
  id: Generated<number>;
  subscriber: string;
  event_id: string;
  event_position: number;
  event_type: string;
  subject: string;
  sequence: number;
  event_time: string;
  /** `<subscriber>:<event id>`: unique, and what the ERP sees as the idempotency key. */
  idempotency_key: string;
  /** pending | in_flight | delivered | dead | skipped */
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error_class: string | null;
  last_error: string | null;
  mapped_request: string | null;
  created_at: string;
  delivered_at: string | null;
  /**
   * A delivery that succeeded on its first try keeps that attempt here instead of in `sync_attempts`
   * (read both through the `sync_attempt_log` view): when it started and how long it took.
   */
  first_try_started_at: string | null;
  first_try_duration_ms: number | null;
  /**
   * SQLite only (null on PostgreSQL): zero bytes a new row carries and its acknowledgement gives up, so
   * the row keeps its size when its times are filled in (migration 0029). Never read.
   */
  row_reserve: Generated<Uint8Array | null>;
}

export interface OutboxTables {
  outbox_events: OutboxEventsTable;
  subject_sequences: SubjectSequencesTable;
  outbox_subscriptions: OutboxSubscriptionsTable;
  outbox_deliveries: OutboxDeliveriesTable;
}
