/** What a domain write announces; the outbox turns it into a stored CloudEvent. */
export interface NewEvent<TData = unknown> {
  /** `<entity>.<verb>` or `<module>.<entity>.<verb>`, e.g. `customer.created`, `billing.document.approved`. */
  type: string;
  /** The record the event is about, `<entity>/<id>`; order is kept per subject. */
  subject: string;
  data: TData;
  /** Defaults to `/fieldsync/<first segment of type>`. */
  source?: string;
}

/** CloudEvents 1.0 (structured JSON) with the per-subject `sequence` and global `position` extensions. */
export interface CloudEvent<TData = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  sequence: number;
  position: number;
  data: TData;
}
