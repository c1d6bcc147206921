import { errors } from '../../shared/errors/index.js';
import type { TransformName } from '../mapping/index.js';
import { mappingSpecSchema } from '../mapping/index.js';
import { reconField } from './field-compare.js';
import type { ReconFieldSpec } from './recon-types.js';

/** Transforms after which the ERP value is still the local value up to normalisation. */
const comparable: ReadonlySet<TransformName> = new Set(['trim', 'upper', 'lower', 'decimal']);

export interface FieldsFromMapping {
  fields: ReconFieldSpec[];
  /** Target fields that cannot be compared with the local value as it is (lookups, units, concatenations...). */
  skipped: { target: string; reason: string }[];
}

/**
 * Compared fields derived from an outbound flow's mapping, so reconciliation checks what the flow sends:
 * every target fed from `<root>.<path>` (e.g. `customer.name`) with at most trim/upper/lower/decimal on
 * the way becomes a field `{ name: path, local: path, remote: target, owner }`.
 */
export function reconFieldsFromMapping(mapping: unknown, root: string): FieldsFromMapping {
  const parsed = mappingSpecSchema.safeParse(mapping);
  if (!parsed.success) {
    throw errors.validation(
      'invalid mapping',
      parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
        message: i.message,
      })),
    );
  }
  const fields: ReconFieldSpec[] = [];
  const skipped: FieldsFromMapping['skipped'] = [];
  const prefix = `${root}.`;
  for (const [target, spec] of Object.entries(parsed.data.fields)) {
    if (spec.from === undefined || !spec.from.startsWith(prefix)) {
      skipped.push({ target, reason: `not read from ${prefix}*` });
      continue;
    }
    const other = spec.transform.find((t) => !comparable.has(t.kind));
    if (other !== undefined) {
      skipped.push({ target, reason: `transform ${other.kind} changes the value` });
      continue;
    }
    const path = spec.from.slice(prefix.length);
    if (fields.some((f) => f.name === path)) {
      skipped.push({ target, reason: `${spec.from} is already compared` });
      continue;
    }
    const kinds = new Set(spec.transform.map((t) => t.kind));
    fields.push(
      reconField(path, {
        remote: target,
        owner: spec.owner,
        ignoreCase: kinds.has('upper') || kinds.has('lower'),
        decimal: kinds.has('decimal'),
      }),
    );
  }
  return { fields, skipped };
}
