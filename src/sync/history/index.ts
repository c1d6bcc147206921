export { recordHistory } from './record-history.js';
export type {
  HistoryAttempt,
  HistoryDelivery,
  HistoryEvent,
  NotSent,
  RecordHistory,
  RecordHistoryQuery,
} from './record-history.js';
