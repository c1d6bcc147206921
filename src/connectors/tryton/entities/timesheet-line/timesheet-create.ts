import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { WriteOp, WriteResult } from '../../../sdk/connector.js';
import { ConnectorError } from '../../../sdk/connector-error.js';
import { describe, findDescribed } from '../../runtime/described.js';
import { failedResult, okResult, opError } from '../../runtime/errors.js';
import { isolateFailures } from '../../runtime/isolate.js';
import { dateSchema, parsePayload, refSchema } from '../../runtime/payload.js';
import { documentReference, lookUpBeforeCreate, referenceTag } from '../../runtime/references.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { dateOf } from '../../runtime/stamps.js';

/** Fieldsync labor lines fit as they are (technicianName, durationMinutes, laborType, startedAt, note). */
const laborLineSchema = z
  .object({
    employee: refSchema.optional(),
    technicianName: z.string().trim().min(1).optional(),
    durationMinutes: z.number().int().min(0).max(100_000).optional(),
    hours: z
      .string()
      .regex(/^\d{1,6}(\.\d{1,6})?$/)
      .optional(),
    date: dateSchema.optional(),
    startedAt: dateSchema.nullable().optional(),
    laborType: z.string().optional(),
    note: z.string().nullable().optional(),
    description: z.string().optional(),
  })
  .loose()
  .refine(
    (l) => l.employee !== undefined || l.technicianName !== undefined,
    'a line needs employee or technicianName',
  )
  .refine(
    (l) => l.durationMinutes !== undefined || l.hours !== undefined,
    'a line needs durationMinutes or hours',
  );

export const timesheetPayloadSchema = z
  .object({
    reference: z.string().trim().min(1).max(500).optional(),
    /** The timesheet work (e.g. the work-order number); default: the connector's timesheetWork. */
    work: z.string().trim().min(1).max(200).optional(),
    label: z.string().trim().min(1).max(200).optional(),
    date: dateSchema.optional(),
    lines: z.array(laborLineSchema).max(500),
  })
  .strict();
type TimesheetPayload = z.output<typeof timesheetPayloadSchema>;

async function lineValues(
  rt: TrytonRuntime,
  payload: TimesheetPayload,
  tag: string,
): Promise<Record<string, unknown>[]> {
  const work = await rt.resolver.timesheetWork(payload.work ?? rt.config.timesheetWork);
  const company = await rt.resolver.company();
  const out: Record<string, unknown>[] = [];
  for (const [i, line] of payload.lines.entries()) {
    const seconds =
      line.durationMinutes !== undefined
        ? line.durationMinutes * 60
        : new Decimal(line.hours as string).mul(3600).round().toNumber();
    if (seconds === 0) continue;
    const employee = await rt.resolver
      .employee(line.employee ?? (line.technicianName as string))
      .catch((error: unknown) => {
        throw error instanceof ConnectorError
          ? new ConnectorError(error.errorClass, `lines[${i}]: ${error.message}`, {
              vendorDetail: error.vendorDetail,
            })
          : error;
      });
    const date = line.date ?? line.startedAt ?? payload.date;
    const text = line.description ?? [payload.label, line.laborType, line.note].filter(Boolean).join(' · ');
    out.push({
      company,
      employee,
      work,
      date: date ? dateOf(date) : new Date().toISOString().slice(0, 10),
      duration: seconds,
      description: describe(text, tag),
    });
  }
  return out;
}

/**
 * Labor as timesheet lines (one per labor line), on a work named after the work order. Timesheet lines
 * have no draft state, so the tag goes into each line's description in the same create call.
 */
export async function createTimesheetLines(
  rt: TrytonRuntime,
  ops: readonly WriteOp[],
): Promise<WriteResult[]> {
  const results: (WriteResult | undefined)[] = new Array(ops.length);
  const planned: { index: number; op: WriteOp; payload: TimesheetPayload; tag: string }[] = [];
  for (const [index, op] of ops.entries()) {
    if (op.op !== 'create') {
      results[index] = failedResult(
        op,
        opError('validation', `timesheet_line does not support op "${op.op}"`),
      );
      continue;
    }
    const parsed = parsePayload(timesheetPayloadSchema, op, 'timesheet_line');
    if (parsed.ok)
      planned.push({ index, op, payload: parsed.value, tag: referenceTag(documentReference(op)) });
    else results[index] = failedResult(op, parsed.error);
  }
  // First attempts with their own key as reference cannot have been written: no look-up for them.
  const found = await findDescribed(
    rt,
    'timesheet.line',
    'description',
    planned.filter((p) => lookUpBeforeCreate(p.op)).map((p) => p.tag),
  );
  const done = new Map<string, number | null>();
  for (const [tag, ids] of found) done.set(tag, ids[0] ?? null);
  const fresh: { p: (typeof planned)[number]; values: Record<string, unknown>[] }[] = [];
  for (const p of planned) {
    if (done.has(p.tag) || fresh.some((f) => f.p.tag === p.tag)) continue;
    try {
      const values = await lineValues(rt, p.payload, p.tag);
      if (values.length === 0) done.set(p.tag, null);
      else fresh.push({ p, values });
    } catch (error) {
      results[p.index] = failedResult(p.op, error);
    }
  }
  const created = await isolateFailures(fresh, async (items) => {
    const ids = await rt.client.create(
      'timesheet.line',
      items.flatMap((i) => i.values),
    );
    let offset = 0;
    return items.map((i) => ids.slice(offset, (offset += i.values.length)));
  });
  const createdTags = new Set<string>();
  created.forEach((outcome, i) => {
    const { p } = fresh[i] as (typeof fresh)[number];
    if (outcome.ok) {
      done.set(p.tag, outcome.value[0] ?? null);
      createdTags.add(p.tag);
    } else results[p.index] = failedResult(p.op, outcome.error);
  });
  const owners = new Set<string>();
  for (const p of planned) {
    if (results[p.index] !== undefined) continue;
    if (!done.has(p.tag)) {
      results[p.index] = failedResult(
        p.op,
        opError('validation', 'an op with the same reference failed in this batch'),
      );
      continue;
    }
    const first = done.get(p.tag);
    const replayed = !createdTags.has(p.tag) || owners.has(p.tag);
    owners.add(p.tag);
    results[p.index] =
      first === null || first === undefined
        ? { idempotencyKey: p.op.idempotencyKey, ok: true, ...(replayed ? { replayed: true } : {}) }
        : okResult(p.op, first, replayed);
  }
  return results.map(
    (r, i) => r ?? failedResult(ops[i] as WriteOp, opError('transient', 'no result for this op')),
  );
}
