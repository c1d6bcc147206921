export { acknowledge } from './acknowledge.js';
export type { DeliveredOutcome, DeliveryOutcome, FailedOutcome } from './acknowledge.js';
export { backlogBySubscriber, pruneHistory, releaseConnectorWaits } from './backlog.js';
export type { SubscriberBacklog } from './backlog.js';
export { linkRecords, lookupExternalIds, lookupLocalIds } from './crosswalk.js';
export {
  attemptsOf,
  countDeadLetters,
  deadLetterQuery,
  listDeadLetters,
  replayDeadLetters,
} from './dead-letters.js';
export type { DeadLetter, DeadLetterFilter } from './dead-letters.js';
export { heldAmong, heldBySubscriber } from './held-leases.js';
export { leaseDeliveries, reclaimExpiredLeases, releaseLeases } from './lease.js';
export type { DeliveryRow, LeasedDelivery, LeaseOptions } from './lease.js';
