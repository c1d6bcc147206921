import { z } from 'zod';
import { ConnectorError } from '../../sdk/connector-error.js';
import type { WriteOp } from '../../sdk/connector.js';
import { trytonRefSchema } from '../config.js';

/** A quantity as Fieldsync writes it: a decimal string (at most 3 decimals), never a float. */
export const quantitySchema = z
  .string()
  .regex(/^-?\d{1,12}(\.\d{1,3})?$/, 'a decimal quantity such as "2" or "0.5"');
/** An amount or price as a decimal string. */
export const amountSchema = z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'a decimal amount such as "49.90"');
/** 'YYYY-MM-DD' or an ISO date-time (its calendar date, as written, is used). */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'an ISO date such as "2026-03-01"');
/** Money as Fieldsync writes it, or a bare decimal string. */
export const moneySchema = z.union([
  amountSchema,
  z.object({ amount: amountSchema, currency: z.string().regex(/^[A-Z]{3}$/) }).loose(),
]);
export const refSchema = trytonRefSchema;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ConnectorError };

/** Validates one op's payload; a bad payload is that op's `validation` failure, with every issue listed. */
export function parsePayload<T>(schema: z.ZodType<T>, op: WriteOp, entity: string): ParseResult<T> {
  const parsed = schema.safeParse(op.payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const text = issues.map((i) => `${i.path || '(payload)'}: ${i.message}`).join('; ');
  return {
    ok: false,
    error: new ConnectorError('validation', `invalid ${entity} payload: ${text}`, {
      vendorDetail: { kind: 'payload', entity, issues },
    }),
  };
}

/** The amount of a Money or decimal string. */
export function amountOf(value: z.output<typeof moneySchema>): string {
  return typeof value === 'string' ? value : value.amount;
}

export function currencyOf(value: z.output<typeof moneySchema>): string | undefined {
  return typeof value === 'string' ? undefined : value.currency;
}

/** The op's Tryton id from `externalId` (the crosswalk), or a validation failure. */
export function externalIdOf(op: WriteOp): number | ConnectorError {
  const id = op.externalId;
  if (id !== undefined && /^\d+$/.test(id) && Number(id) > 0) return Number(id);
  return new ConnectorError(
    'validation',
    `op ${op.op} needs a numeric externalId (got ${JSON.stringify(id)})`,
    {
      vendorDetail: { kind: 'payload', externalId: id ?? null },
    },
  );
}
