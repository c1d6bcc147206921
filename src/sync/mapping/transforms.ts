import { Decimal } from 'decimal.js';
import { currencyExponent } from '../../shared/money.js';
import type { LookupTables, Scalar, Transform } from './mapping-spec.js';
import { getPath, isMissing } from './source-path.js';

export type StepResult = { ok: true; value: unknown } | { ok: false; message: string };
/** A compiled transform: the current value in, the next value out; `record` serves lookups by key and concat. */
export type Step = (value: unknown, record: unknown) => StepResult;
export interface CompileIssue {
  path: (string | number)[];
  message: string;
}

const ok = (value: unknown): StepResult => ({ ok: true, value });
const fail = (message: string): StepResult => ({ ok: false, message });
const show = (value: unknown): string =>
  typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
const isAbsent = (value: unknown): boolean => value === undefined || value === null;

function toDecimal(value: unknown): Decimal | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  if (typeof value === 'string' && !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return undefined;
  const d = new Decimal(value);
  return d.isFinite() ? d : undefined;
}

function keyOf(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function fromTable(
  table: Readonly<Record<string, Scalar>>,
  key: unknown,
  args: { onMissing: 'error' | 'default' | 'passthrough'; default?: Scalar },
  label: string,
  passthroughValue: unknown,
): StepResult {
  const code = keyOf(key);
  if (code === undefined) return fail(`cannot look up ${show(key)}: keys are text, numbers or booleans`);
  if (Object.hasOwn(table, code)) return ok(table[code]);
  if (args.onMissing === 'default') return ok(args.default);
  if (args.onMissing === 'passthrough') return ok(passthroughValue);
  const known = Object.keys(table);
  return fail(
    `no entry for ${show(code)} in ${label} (known: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''})`,
  );
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

function parseInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string') return undefined;
  if (isoDate.test(value)) value = `${value}T00:00:00Z`;
  else if (!isoDateTime.test(value)) return undefined;
  // Date-times without an offset are UTC here, never the host's local zone.
  const text = /(Z|[+-]\d{2}:?\d{2})$/.test(value as string) ? (value as string) : `${value as string}Z`;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject rollovers such as 2024-02-30, which Date would silently move to March.
  const day = (value as string).slice(0, 10);
  return isoDate.test(day) && /(Z|[+-]00:?00)$/.test(text) && date.toISOString().slice(0, 10) !== day
    ? undefined
    : date;
}

const roundingModes = {
  half_up: Decimal.ROUND_HALF_UP,
  half_even: Decimal.ROUND_HALF_EVEN,
  down: Decimal.ROUND_DOWN,
} as const;

/**
 * Compiles one transform against the lookup tables. Everything that can be checked before a record
 * arrives (tables exist, a rate is present) is checked here, so bad config fails at load.
 */
export function compileTransform(
  transform: Transform,
  lookups: LookupTables,
): { step: Step } | { issue: CompileIssue } {
  const tableOrIssue = (
    name: string,
    path: (string | number)[],
  ): { table: Record<string, Scalar> } | { issue: CompileIssue } =>
    Object.hasOwn(lookups, name)
      ? { table: lookups[name] as Record<string, Scalar> }
      : {
          issue: {
            path,
            message: `unknown lookup table "${name}"; declared: ${Object.keys(lookups).join(', ') || '(none)'}`,
          },
        };

  switch (transform.kind) {
    case 'valueMap': {
      const args = transform.args;
      return { step: (v) => (isAbsent(v) ? ok(v) : fromTable(args.map, v, args, 'value map', v)) };
    }
    case 'lookup': {
      const args = transform.args;
      const found = tableOrIssue(args.table, ['lookup', 'table']);
      if ('issue' in found) return found;
      return {
        step: (v, record) => {
          const key = args.key === undefined ? v : getPath(record, args.key);
          return isAbsent(key)
            ? ok(null)
            : fromTable(found.table, key, args, `lookup table "${args.table}"`, v);
        },
      };
    }
    case 'unit': {
      const { factor, scale } = transform.args;
      const f = new Decimal(factor);
      return {
        step: (v) => {
          if (isAbsent(v)) return ok(v);
          const d = toDecimal(v);
          if (d === undefined) return fail(`not a number: ${show(v)}`);
          const r = d.mul(f);
          return ok((scale === undefined ? r : r.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP)).toFixed());
        },
      };
    }
    case 'currency': {
      const { from, to } = transform.args;
      let rate: Decimal;
      if (transform.args.table !== undefined) {
        const found = tableOrIssue(transform.args.table, ['currency', 'table']);
        if ('issue' in found) return found;
        const entry = found.table[`${from}/${to}`];
        const d =
          entry === undefined || entry === null || typeof entry === 'boolean' ? undefined : toDecimal(entry);
        if (d === undefined || d.lte(0)) {
          return {
            issue: {
              path: ['currency', 'table'],
              message: `table "${transform.args.table}" has no positive rate "${from}/${to}"`,
            },
          };
        }
        rate = d;
      } else rate = new Decimal(transform.args.rate as string);
      const scale = transform.args.scale ?? currencyExponent(to);
      const convert = (amount: Decimal): string =>
        amount.mul(rate).toDecimalPlaces(scale, Decimal.ROUND_HALF_UP).toFixed(scale);
      return {
        step: (v) => {
          if (isAbsent(v)) return ok(v);
          if (typeof v === 'object' && v !== null && 'amount' in v && 'currency' in v) {
            const money = v as { amount: unknown; currency: unknown };
            if (money.currency !== from)
              return fail(`amount is in ${String(money.currency)}, expected ${from}`);
            const d = toDecimal(money.amount);
            return d === undefined
              ? fail(`not an amount: ${show(money.amount)}`)
              : ok({ amount: convert(d), currency: to });
          }
          const d = toDecimal(v);
          return d === undefined ? fail(`not an amount: ${show(v)}`) : ok(convert(d));
        },
      };
    }
    case 'default': {
      const { value } = transform.args;
      return { step: (v) => ok(isMissing(v) ? value : v) };
    }
    case 'constant': {
      const { value } = transform.args;
      return { step: () => ok(value) };
    }
    case 'trim':
    case 'upper':
    case 'lower': {
      const kind = transform.kind;
      const apply = (s: string): string =>
        kind === 'trim' ? s.trim() : kind === 'upper' ? s.toUpperCase() : s.toLowerCase();
      return {
        step: (v) =>
          isAbsent(v) ? ok(v) : typeof v === 'string' ? ok(apply(v)) : fail(`expected text, got ${typeof v}`),
      };
    }
    case 'decimal': {
      const { scale, rounding } = transform.args;
      return {
        step: (v) => {
          if (isAbsent(v)) return ok(v);
          const d = toDecimal(v);
          return d === undefined
            ? fail(`not a number: ${show(v)}`)
            : ok(d.toDecimalPlaces(scale, roundingModes[rounding]).toFixed(scale));
        },
      };
    }
    case 'date': {
      const { output } = transform.args;
      return {
        step: (v) => {
          if (isAbsent(v)) return ok(v);
          const date = parseInstant(v);
          if (date === undefined) return fail(`not an ISO-8601 date or date-time: ${show(v)}`);
          return ok(output === 'date' ? date.toISOString().slice(0, 10) : date.toISOString());
        },
      };
    }
    case 'concat': {
      const { parts, sep } = transform.args;
      return {
        step: (v, record) => {
          const texts: string[] = [];
          for (const part of parts) {
            const value = typeof part === 'string' ? (part === '$' ? v : getPath(record, part)) : part.value;
            if (isMissing(value)) continue;
            if (typeof value === 'object') return fail(`cannot join ${show(value)} as text`);
            texts.push(String(value));
          }
          return ok(texts.length === 0 ? undefined : texts.join(sep));
        },
      };
    }
  }
}

/** One-line description of a transform for mapping tables. */
export function describeTransform(transform: Transform): string {
  switch (transform.kind) {
    case 'valueMap': {
      const n = Object.keys(transform.args.map).length;
      return `valueMap(${n} ${n === 1 ? 'entry' : 'entries'}, onMissing=${transform.args.onMissing})`;
    }
    case 'lookup':
      return `lookup(${transform.args.table}${transform.args.key === undefined ? '' : ` by ${transform.args.key}`})`;
    case 'unit':
      return `unit(${transform.args.from}→${transform.args.to} ×${transform.args.factor})`;
    case 'currency':
      return `currency(${transform.args.from}→${transform.args.to} ${transform.args.rate !== undefined ? `@${transform.args.rate}` : `via ${transform.args.table}`})`;
    case 'default':
      return `default(${show(transform.args.value)})`;
    case 'constant':
      return `constant(${show(transform.args.value)})`;
    case 'decimal':
      return `decimal(${transform.args.scale}, ${transform.args.rounding})`;
    case 'date':
      return `date(${transform.args.output})`;
    case 'concat':
      return `concat(${transform.args.parts.map((p) => (typeof p === 'string' ? p : show(p.value))).join(', ')}; sep ${show(transform.args.sep)})`;
    default:
      return transform.kind;
  }
}
