export { recordHistory } from './record-history.js';
export type {
  HistoryAttempt,
  HistoryDelivery,
  HistoryEvent,
  RecordHistory,
  RecordHistoryQuery,
} from './record-history.js';
