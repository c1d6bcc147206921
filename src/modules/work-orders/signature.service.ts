import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { sha256Hex } from './canonical-json.js';
import { commitChange, WorkOrderEvents } from './events.js';
import type { SignatureInput } from './execution-schemas.js';
import { MAX_SIGNATURE_PNG_BYTES, signatureInputSchema } from './execution-schemas.js';
import { lockExecuting } from './execution-kit.js';
import { parseInput } from '../../shared/parse-input.js';
import { loadWorkOrder } from './repository.js';
import type { WorkOrder } from './schemas.js';
import { buildServiceReport } from './service-report.js';
import { assertNotBefore, assertNotFuture } from './time-rules.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Signature {
  id: string;
  workOrderId: string;
  signerName: string;
  signedAt: string;
  reportHash: string;
  imageSha256: string;
  imagePngBase64: string;
  invalidatedAt: string | null;
}

/** The image must really be a PNG within the size limit: it is printed on the report as is. */
function decodePng(base64: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_SIGNATURE_PNG_BYTES) {
    throw errors.validation(
      `the signature image is ${bytes.length} bytes; at most ${MAX_SIGNATURE_PNG_BYTES}`,
      [{ path: ['imagePngBase64'], message: `at most ${MAX_SIGNATURE_PNG_BYTES} bytes` }],
      { limitBytes: MAX_SIGNATURE_PNG_BYTES },
    );
  }
  if (bytes.length < PNG_MAGIC.length + 12 || !bytes.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) {
    throw errors.validation('the signature image is not a PNG', [
      { path: ['imagePngBase64'], message: 'not a PNG image' },
    ]);
  }
  return bytes;
}

/**
 * The customer signs one report, named by its hash. A hash that is not the current report's (the work
 * changed after the customer looked at it) is a 409 carrying the current hash; nothing is stored. A new
 * signature replaces (invalidates) an earlier one.
 */
export async function signWorkOrder(
  executor: Executor,
  id: string,
  raw: SignatureInput,
  expectedVersion?: number,
): Promise<WorkOrder> {
  const input = parseInput(signatureInputSchema, raw);
  const image = decodePng(input.imagePngBase64);
  return inTransaction(executor, async (uow) => {
    const row = await lockExecuting(uow, id, expectedVersion);
    const signedAt = new Date(input.signedAt ?? nowIso()).toISOString();
    assertNotFuture(signedAt, 'signedAt');
    assertNotBefore(signedAt, row.started_at, 'signedAt', 'startedAt');
    const current = buildServiceReport(await loadWorkOrder(uow.tx, id)).hash;
    if (input.reportHash !== current) {
      throw errors.conflict(
        `the signature is for report ${input.reportHash}, but the report is now ${current}; show the customer the current report`,
        {
          signedReportHash: input.reportHash,
          currentReportHash: current,
        },
      );
    }
    const now = nowIso();
    await uow.tx
      .updateTable('work_order_signatures')
      .set({ invalidated_at: now })
      .where('work_order_id', '=', id)
      .where('invalidated_at', 'is', null)
      .execute();
    const signatureId = newId();
    await uow.tx
      .insertInto('work_order_signatures')
      .values({
        id: signatureId,
        work_order_id: id,
        signer_name: input.signerName,
        signed_at: signedAt,
        image_png_base64: input.imagePngBase64,
        image_sha256: sha256Hex(image),
        report_hash: current,
        invalidated_at: null,
        created_at: now,
      })
      .execute();
    return commitChange(uow, id, WorkOrderEvents.signed, ['signature'], { reportHash: current, signatureId });
  });
}

/** The current (not invalidated) signature with its image, or null. */
export async function getSignature(executor: Executor, workOrderId: string): Promise<Signature | null> {
  const db = queryable(executor);
  await loadWorkOrder(db, workOrderId);
  const row = await db
    .selectFrom('work_order_signatures')
    .selectAll()
    .where('work_order_id', '=', workOrderId)
    .where('invalidated_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    workOrderId: row.work_order_id,
    signerName: row.signer_name,
    signedAt: row.signed_at,
    reportHash: row.report_hash,
    imageSha256: row.image_sha256,
    imagePngBase64: row.image_png_base64,
    invalidatedAt: row.invalidated_at,
  };
}
