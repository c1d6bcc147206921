import type { WriteOp } from '../../sdk/connector.js';

/**
 * How a write finds its own earlier attempt. Tryton has no idempotency keys, so every record Fieldsync
 * creates carries a tag, searched before creating: a retry after a timeout, or after a crash between
 * Tryton's answer and our commit, finds the record instead of creating a second one.
 */
export const TAG_PREFIX = 'fieldsync:';

export const referenceTag = (reference: string): string => `${TAG_PREFIX}${reference}`;

const explicit = (op: WriteOp): string | undefined => {
  const value = op.payload.reference;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/**
 * Master data (parties): one Tryton record per Fieldsync record, so the reference is our record id
 * (`op.reference`, from the event subject). A `customer.updated` that arrives before the crosswalk of its
 * `customer.created` was committed then finds the party instead of creating a twin.
 */
export function masterReference(op: WriteOp): string {
  return explicit(op) ?? op.reference ?? op.idempotencyKey;
}

/**
 * Documents (moves, invoices, inventories, costs, labor): one Tryton document per event, so the reference
 * is the idempotency key unless the mapping names one (`payload.reference`, e.g. the billing document
 * number). The event subject is not used: stock events share one subject per item × warehouse.
 */
export function documentReference(op: WriteOp): string {
  return explicit(op) ?? op.idempotencyKey;
}

/**
 * Whether a document write must look for an earlier attempt before creating. Not for an op's first attempt
 * (`WriteOp.firstAttempt`: no earlier call can have written it) whose reference is its own idempotency key;
 * a mapping's explicit `reference` can be shared by two events (a transfer posted twice, a re-approved
 * billing document), so it is always looked up. Parties are always looked up: their reference is the
 * Fieldsync record, which any earlier op of that record may have created.
 */
export function lookUpBeforeCreate(op: WriteOp): boolean {
  return op.firstAttempt !== true || explicit(op) !== undefined;
}
