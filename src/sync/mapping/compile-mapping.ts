import type { LookupTables, MappingSpec, SharedRule, FieldOwner } from './mapping-spec.js';
import { mappingSpecSchema } from './mapping-spec.js';
import type { PathSegments } from './source-path.js';
import { getSegments, isMissing, pathSegments, setSegments } from './source-path.js';
import type { CompileIssue, Step } from './transforms.js';
import { compileTransform } from './transforms.js';

/** One reason a record could not be mapped; names the field and, when one failed, the transform. */
export interface MappingIssue {
  field: string;
  /** e.g. `transform[0].lookup`; absent for a missing required value. */
  transform?: string;
  /** `field` plus `transform`, e.g. `cost_center.transform[0].lookup`. */
  path: string;
  message: string;
}

export type MapResult = { ok: true; value: Record<string, unknown> } | { ok: false; issues: MappingIssue[] };

/** The issues of a failed mapping as one line (`path: message; ...`), for error messages and logs. */
export function describeMappingIssues(issues: readonly MappingIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

export interface CompiledField {
  target: string;
  from?: string;
  required: boolean;
  owner: FieldOwner;
  rule?: SharedRule;
}

export interface CompiledMapping {
  spec: MappingSpec;
  fields: readonly CompiledField[];
  /** Ownership per target field, for conflict detection. */
  ownership: Readonly<Record<string, { owner: FieldOwner; rule?: SharedRule }>>;
  map(record: Record<string, unknown>): MapResult;
}

export type CompileResult = { ok: true; mapping: CompiledMapping } | { ok: false; issues: CompileIssue[] };

interface FieldPlan extends CompiledField {
  steps: { step: Step; label: string }[];
  /** `from` and `target` split once, not for every record. */
  fromSegments?: PathSegments;
  targetSegments: readonly string[];
}

/**
 * Validates a mapping (schema, then references into the lookup tables) and builds the function that
 * maps one record. Issue paths are relative to the mapping (`fields.x.transform[0].lookup.table`).
 */
export function compileMapping(input: unknown, lookups: LookupTables = {}): CompileResult {
  const parsed = mappingSpecSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: i.message,
      })),
    };
  }
  return compileParsedMapping(parsed.data, lookups);
}

/** The second half of `compileMapping`, for a spec already parsed as part of a larger schema (flow config). */
export function compileParsedMapping(spec: MappingSpec, lookups: LookupTables = {}): CompileResult {
  const issues: CompileIssue[] = [];
  const plans: FieldPlan[] = [];
  for (const [target, field] of Object.entries(spec.fields)) {
    const steps: FieldPlan['steps'] = [];
    field.transform.forEach((transform, index) => {
      const compiled = compileTransform(transform, lookups);
      if ('issue' in compiled)
        issues.push({
          path: ['fields', target, 'transform', index, ...compiled.issue.path],
          message: compiled.issue.message,
        });
      else steps.push({ step: compiled.step, label: `transform[${index}].${transform.kind}` });
    });
    const plan: FieldPlan = {
      target,
      required: field.required,
      owner: field.owner,
      steps,
      targetSegments: target.split('.'),
    };
    if (field.from !== undefined) {
      plan.from = field.from;
      plan.fromSegments = pathSegments(field.from);
    }
    if (field.rule !== undefined) plan.rule = field.rule;
    plans.push(plan);
  }
  if (issues.length > 0) return { ok: false, issues };

  const map = (record: Record<string, unknown>): MapResult => {
    const out: Record<string, unknown> = {};
    const problems: MappingIssue[] = [];
    for (const plan of plans) {
      let value = plan.fromSegments === undefined ? undefined : getSegments(record, plan.fromSegments);
      let failed = false;
      for (const { step, label } of plan.steps) {
        const r = step(value, record);
        if (!r.ok) {
          problems.push({
            field: plan.target,
            transform: label,
            path: `${plan.target}.${label}`,
            message: r.message,
          });
          failed = true;
          break;
        }
        value = r.value;
      }
      if (failed) continue;
      if (isMissing(value) && plan.required) {
        const source = plan.from === undefined ? '' : ` (from ${plan.from})`;
        problems.push({
          field: plan.target,
          path: plan.target,
          message: `required value is missing${source}`,
        });
        continue;
      }
      // Absent stays absent (an update leaves the ERP value alone); null is sent, meaning "clear it".
      if (value !== undefined) setSegments(out, plan.targetSegments, value);
    }
    return problems.length === 0 ? { ok: true, value: out } : { ok: false, issues: problems };
  };

  const fields = plans.map(
    ({ steps: _steps, fromSegments: _from, targetSegments: _target, ...field }): CompiledField => field,
  );
  const ownership = Object.fromEntries(
    fields.map((f) => [
      f.target,
      f.rule === undefined ? { owner: f.owner } : { owner: f.owner, rule: f.rule },
    ]),
  );
  return { ok: true, mapping: { spec, fields, ownership, map } };
}
