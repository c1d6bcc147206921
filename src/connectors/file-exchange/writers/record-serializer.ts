import type { ExportFormat } from '../manifest.js';

/**
 * Turns records into the text of one file format. Serialisers are synchronous and stateless between
 * calls; exportRecords does the streaming and the atomic publication.
 */
export interface RecordSerializer {
  readonly format: ExportFormat;
  begin(): string;
  /** Serialises a batch; throws a FileExchangeError naming the offending record's index in the batch. */
  records(batch: readonly unknown[], firstIndex: number): string;
  end(): string;
}
