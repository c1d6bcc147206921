import type { WriteOp, WriteResult } from '../../sdk/connector.js';
import { ConnectorError } from '../../sdk/connector-error.js';
import { exportFileName, flowNamePattern } from '../file-naming.js';
import { exportRecords } from '../writers/index.js';
import { writeUblInvoiceFile } from '../ubl/index.js';
import { checkOpRows, layoutFor, rowsOf, type FileShape, type Row } from './batch-rows.js';
import { fileFlowOf, settingsOf, type ExchangeFolders, type FileExchangeConfig } from './config.js';
import { classifyFileError } from './io-errors.js';
import { UnitKind, type LedgerUnit, type OutboundLedger } from './ledger.js';
import { invoiceOf, type InvoiceCheck } from './ubl-input.js';
import { settleUnit } from './unit-recovery.js';

export interface WriteContext {
  config: FileExchangeConfig;
  folders: ExchangeFolders;
  ledger: OutboundLedger;
  clock: () => Date;
  /** The engine gave up on this call; see `ConnectorSession.writeBatch`. */
  signal?: AbortSignal;
}

/** Write kinds that append a row; files have no "delete", so that kind is not offered. */
export const appendingOps: ReadonlySet<string> = new Set(['create', 'update', 'upsert']);

interface Plan {
  index: number;
  op: WriteOp;
  needRecords: boolean;
  rows: Row[];
  invoice?: Extract<InvoiceCheck, { ok: true }>;
  failed?: string;
}

const fail = (op: WriteOp, message: string): WriteResult => ({
  idempotencyKey: op.idempotencyKey,
  ok: false,
  error: new ConnectorError('validation', message),
});

function resultFromLedger(ledger: OutboundLedger, op: WriteOp, replayed: boolean): WriteResult {
  const records = ledger.lookup(op.idempotencyKey)?.records;
  return {
    idempotencyKey: op.idempotencyKey,
    ok: true,
    ...(records !== undefined && { externalId: `${records.file}#${records.line}` }),
    ...(replayed && { replayed: true }),
  };
}

/**
 * One writeBatch: one records file for the batch (plus one UBL invoice per billing document), each
 * announced in the ledger before it is published and committed after it is durable. Keys the ledger
 * already holds are answered as replays without writing anything, so a batch re-sent after a crash before
 * the engine's acknowledgement never yields a second file with the same records.
 */
export function writeBatch(
  ctx: WriteContext,
  entity: string,
  ops: readonly WriteOp[],
): Promise<WriteResult[]> {
  return ctx.ledger.exclusive(async () => {
    // Checked once the ledger is ours: a caller that gave up while we waited gets nothing written.
    if (ctx.signal?.aborted)
      throw new ConnectorError('transient', 'write abandoned by the caller before any file was written', {
        cause: ctx.signal.reason,
      });
    const keys = ops.map((op) => op.idempotencyKey);
    for (const unit of ctx.ledger.pendingFor(keys)) {
      await settleUnit(ctx.ledger, unit, ctx.folders.outbound).catch((error: unknown) => {
        throw classifyFileError(error, `settling interrupted file ${unit.file}`);
      });
    }
    const settings = settingsOf(ctx.config, entity);
    const flow = fileFlowOf(ctx.config, entity);
    if (!flowNamePattern.test(flow)) {
      throw new ConnectorError(
        'validation',
        `entity "${entity}" gives the file name part "${flow}"; set entities.${entity}.file`,
      );
    }
    const results = new Array<WriteResult | undefined>(ops.length);
    const firstOfKey = new Map<string, number>();
    const plans: Plan[] = [];
    ops.forEach((op, index) => {
      if (firstOfKey.has(op.idempotencyKey)) return;
      firstOfKey.set(op.idempotencyKey, index);
      if (!appendingOps.has(op.op)) {
        results[index] = fail(op, `file exchange appends records; "${op.op}" is not supported`);
        return;
      }
      const state = ctx.ledger.lookup(op.idempotencyKey);
      const needRecords = state?.records === undefined;
      const needUbl = settings.ubl && state?.ubl === undefined;
      if (!needRecords && !needUbl) {
        results[index] = resultFromLedger(ctx.ledger, op, true);
        return;
      }
      const plan: Plan = { index, op, needRecords, rows: [] };
      try {
        if (needRecords) plan.rows = rowsOf(op.payload, settings);
      } catch (error) {
        results[index] = fail(op, error instanceof Error ? error.message : String(error));
        return;
      }
      if (needUbl) {
        const invoice = invoiceOf(op.payload, ctx.config);
        if (!invoice.ok) {
          results[index] = fail(op, invoice.message);
          return;
        }
        plan.invoice = invoice;
      }
      plans.push(plan);
    });

    await writeRecordsFile(ctx, entity, flow, plans, results);
    for (const plan of plans) {
      if (plan.failed !== undefined || plan.invoice === undefined) continue;
      await writeInvoiceFile(ctx, plan, plan.invoice);
    }
    for (const plan of plans) {
      results[plan.index] ??= resultFromLedger(ctx.ledger, plan.op, false);
    }
    return ops.map((op, index) => {
      const result = results[index] ?? results[firstOfKey.get(op.idempotencyKey) ?? index];
      if (result === undefined) throw new Error('file exchange: an op got no result');
      return { ...result, idempotencyKey: op.idempotencyKey };
    });
  });
}

async function writeRecordsFile(
  ctx: WriteContext,
  entity: string,
  flow: string,
  plans: Plan[],
  results: (WriteResult | undefined)[],
): Promise<void> {
  const settings = settingsOf(ctx.config, entity);
  const candidates = plans.filter((p) => p.needRecords && p.rows.length > 0);
  if (candidates.length === 0) return;
  const shape: FileShape = {
    format: settings.format ?? ctx.config.defaultFormat,
    flow,
    layout: layoutFor(
      settings,
      candidates.flatMap((p) => p.rows),
    ),
    ...(settings.csv !== undefined && { csv: settings.csv }),
  };
  const checked = checkOpRows(
    shape,
    candidates.map((p) => p.rows),
  );
  const keys: [string, number][] = [];
  const rows: Row[] = [];
  candidates.forEach((plan, i) => {
    const problem = checked.errors[i];
    const line = checked.lines[i];
    if (problem !== undefined || line === undefined) {
      plan.failed = problem ?? 'no line';
      results[plan.index] = fail(plan.op, problem ?? 'record could not be placed in the file');
      return;
    }
    keys.push([plan.op.idempotencyKey, line]);
    rows.push(...plan.rows);
  });
  if (keys.length === 0) return;
  const at = ctx.clock();
  const seq = ctx.ledger.nextSeq();
  const unit: LedgerUnit = {
    file: exportFileName({ at, flow, seq, ext: shape.format }),
    kind: UnitKind.records,
    at: at.toISOString(),
    flow,
    format: shape.format,
    rows: rows.length,
    keys,
  };
  await publishUnit(ctx, unit, () =>
    exportRecords({
      dir: ctx.folders.outbound,
      flow,
      format: shape.format,
      layout: shape.layout,
      records: rows,
      seq,
      clock: () => at,
      ...(shape.csv !== undefined && { csv: shape.csv }),
    }),
  );
}

async function writeInvoiceFile(
  ctx: WriteContext,
  plan: Plan,
  invoice: Extract<InvoiceCheck, { ok: true }>,
): Promise<void> {
  const at = ctx.clock();
  const seq = ctx.ledger.nextSeq();
  const flow = ctx.config.ubl.file;
  const unit: LedgerUnit = {
    file: exportFileName({ at, flow, seq, ext: 'xml' }),
    kind: UnitKind.ubl,
    at: at.toISOString(),
    flow,
    format: 'xml',
    rows: 1,
    subject: invoice.id,
    keys: [[plan.op.idempotencyKey, 1]],
  };
  await publishUnit(ctx, unit, () =>
    writeUblInvoiceFile({ dir: ctx.folders.outbound, flow, seq, clock: () => at, document: invoice.input }),
  );
}

/** Intent durable → file published → commit durable; a failure in between is settled by looking. */
async function publishUnit(
  ctx: WriteContext,
  unit: LedgerUnit,
  write: () => Promise<unknown>,
): Promise<void> {
  try {
    await ctx.ledger.intent(unit);
  } catch (error) {
    throw classifyFileError(error, 'recording the file in the outbound ledger');
  }
  try {
    await write();
    await ctx.ledger.commit(unit.file);
  } catch (error) {
    const committed = await settleUnit(ctx.ledger, unit, ctx.folders.outbound).catch(() => false);
    if (!committed) throw classifyFileError(error, `writing ${unit.file}`);
  }
}
