import type { UnitOfWork } from '../../platform/outbox/index.js';
import type { InboundApplier, LocalRecord } from '../inbound/index.js';

export interface ResendReason {
  conflictId?: string;
  flow: string;
  connector: string;
  field: string;
  resolution: string;
  resolvedBy: string;
}

/** `customer.conflict_resolved`: the event type outbound flows subscribe to (or `customer.*`) to carry "take ours" out. */
export const conflictResolvedType = (applier: InboundApplier): string =>
  `${applier.eventKey}.conflict_resolved`;

/**
 * Announces that a conflict was settled in favour of the local value, which therefore has to reach the
 * ERP although no local change happened now (so the module emitted nothing). The data has the module's
 * event shape (`{ customer: {...}, changedFields }`) so the entity's outbound mapping applies unchanged,
 * and the record's subject, so it keeps its place in the record's event order.
 */
export async function emitConflictResolved(
  uow: UnitOfWork,
  applier: InboundApplier,
  record: LocalRecord,
  reason: ResendReason,
): Promise<void> {
  await uow.emit({
    type: conflictResolvedType(applier),
    subject: `${applier.eventKey}/${record.id}`,
    source: '/fieldsync/sync',
    data: { [applier.eventKey]: record.data, changedFields: [reason.field], conflict: reason },
  });
}
