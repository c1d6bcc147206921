import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { milliToQuantity, quantityToMilli } from '../../shared/quantity.js';
import { assertNotDisposed, loadAsset, lockAsset, touchAsset } from './asset-kit.js';
import { AssetEvents, assetSubject } from './events.js';
import type { MeterReading, MeterReadingInput } from './lifecycle-schemas.js';
import { meterReadingInputSchema } from './lifecycle-schemas.js';
import { normalizeTimestamp } from './move.service.js';
import { parseInput } from '../../shared/parse-input.js';
import { latestReadingRow, readingFromRow } from './repository.js';

/**
 * Running-hours readings are an append-only, chronological history. A running-hours meter only counts
 * up, so a lower value than the previous reading is refused unless the meter was replaced or reset.
 */
export async function recordMeterReading(
  executor: Executor,
  assetId: string,
  raw: MeterReadingInput,
): Promise<MeterReading> {
  const input = parseInput(meterReadingInputSchema, raw);
  const readingAt = normalizeTimestamp(input.readingAt, 'readingAt');
  const valueMilli = quantityToMilli(input.value);
  return inTransaction(executor, async (uow) => {
    const row = await lockAsset(uow, assetId);
    assertNotDisposed(row, 'record a meter reading');
    const previous = await latestReadingRow(uow.tx, assetId);
    if (previous && readingAt < previous.reading_at) {
      throw errors.validation(
        `readingAt ${readingAt} is before the latest reading at ${previous.reading_at}`,
        [{ path: ['readingAt'], message: `must not be before ${previous.reading_at}` }],
        { previousReadingId: previous.id, previousReadingAt: previous.reading_at },
      );
    }
    if (previous && valueMilli < Number(previous.value_milli) && !input.meterReplaced) {
      const previousValue = milliToQuantity(previous.value_milli);
      throw errors.conflict(
        `reading ${input.value} h is lower than the previous ${previousValue} h; send meterReplaced: true if the meter was replaced or reset`,
        { previousReadingId: previous.id, previousValue, previousReadingAt: previous.reading_at },
      );
    }
    const readingRow = {
      id: newId(),
      asset_id: assetId,
      reading_at: readingAt,
      value_milli: valueMilli,
      source: input.source,
      meter_replaced: input.meterReplaced ? 1 : 0,
      recorded_at: nowIso(),
    };
    await uow.tx.insertInto('asset_meter_readings').values(readingRow).execute();
    const asset = await touchAsset(uow.tx, assetId, {
      meter_value_milli: valueMilli,
      meter_reading_at: readingAt,
    });
    const reading = readingFromRow(readingRow);
    await uow.emit({
      type: AssetEvents.meterReadingRecorded,
      subject: assetSubject(assetId),
      data: { reading, asset },
    });
    return reading;
  });
}

/** Readings oldest first; ids are time-ordered and readings are appended chronologically, so id is the keyset. */
export async function listMeterReadings(
  executor: Executor,
  assetId: string,
  page: { limit: number; afterId?: string } = { limit: 100 },
): Promise<{ data: MeterReading[]; nextAfterId: string | null }> {
  const db = queryable(executor);
  await loadAsset(db, assetId);
  let query = db
    .selectFrom('asset_meter_readings')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  const rows = await query.execute();
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map(readingFromRow),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}
