/**
 * Where a PostgreSQL lease starts its walk of the due index (subscriber, status, id). A row that leaves
 * `pending` leaves its entry there, dead, until a vacuum removes it; those entries gather below the
 * lowest pending id, and a lease that starts at the lowest id steps over all of them: 300 index pages
 * per lease after 60,000 deliveries, and more with every batch while no vacuum runs (autovacuum waits
 * for a fifth of the table to be dead by default; on this project's test server it is off).
 *
 * So a worker starts at the first id of its previous batch: below it were rows that were not due, were
 * leased by another worker, or waited behind an earlier event of their record. Rows there that become
 * due later (a retry's time comes, a replay, an expired lease) are found by a walk from the start, at
 * least once every `fullScanEveryMs`, and whenever a bounded lease finds nothing. Per-record order does
 * not depend on where the walk starts: the head-of-subject check holds back any later event of a record
 * whose earlier one is still pending. SQLite deletes index entries at once and never bounds its walk.
 */
export class ScanStart {
  #from: number | undefined;
  #fullScanDue = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly fullScanEveryMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The id the next lease may start at, or undefined for a walk from the start. */
  next(): number | undefined {
    if (!this.enabled) return undefined;
    const now = this.clock();
    if (this.#from === undefined || now >= this.#fullScanDue) {
      this.#fullScanDue = now + this.fullScanEveryMs;
      return undefined;
    }
    return this.#from;
  }

  /**
   * Records what a lease that started at `from` returned (ids ascending). Returns whether that lease was
   * bounded and found nothing: the caller should lease again from the start rather than sleep.
   */
  leased(batch: readonly { id: number }[], from: number | undefined): boolean {
    const first = batch[0];
    this.#from = first?.id;
    return first === undefined && from !== undefined;
  }
}
