import { isDeepStrictEqual } from 'node:util';
import type { FieldConflict, FieldOwner, SharedRule } from '../mapping/index.js';
import { getPath, resolveField } from '../mapping/index.js';

/** What a pull does with one mapped field. */
export type FieldAction =
  /** Both sides hold the same value: nothing to apply; the snapshot catches up. */
  | { field: string; action: 'converge'; erp: unknown; local: unknown }
  /** Neither side changed since the snapshot. */
  | { field: string; action: 'none'; erp: unknown; local: unknown }
  /** Only the ERP changed a field it owns or shares: set it locally. */
  | { field: string; action: 'apply_erp'; erp: unknown; local: unknown }
  /** Only Fieldsync changed a field it owns or shares: the outbound flow carries it; nothing to do here. */
  | { field: string; action: 'keep_local'; erp: unknown; local: unknown }
  /** A change the owner policy does not allow, or both sides changed: record a conflict, overwrite nothing. */
  | { field: string; action: 'hold'; erp: unknown; local: unknown; conflict: FieldConflict }
  /** Both sides changed a shared field whose rule decides: apply the winner, report the clash as settled. */
  | {
      field: string;
      action: 'auto';
      erp: unknown;
      local: unknown;
      winner: 'erp' | 'fieldsync';
      rule: SharedRule;
      conflict: FieldConflict;
    };

export interface SideSnapshot {
  /** ERP-side values last accounted for, per field (absent: never seen). */
  erp: Readonly<Record<string, unknown>>;
  /** Fieldsync-side values last accounted for, per field. */
  local: Readonly<Record<string, unknown>>;
}

export interface DecideInput {
  ownership: Readonly<Record<string, { owner: FieldOwner; rule?: SharedRule }>>;
  /** The mapped ERP record; an absent field means the ERP says nothing about it. */
  erp: Readonly<Record<string, unknown>>;
  /** The local record's public data. */
  local: Readonly<Record<string, unknown>>;
  snapshot: SideSnapshot | undefined;
  erpModifiedAt: string;
  localModifiedAt: string;
}

/** Stands for a base nobody knows (a shared field on first contact): it equals no value. */
const unknownBase = Symbol('unknown base');

export interface EffectiveBase {
  erp: unknown;
  local: unknown;
  known: boolean;
}

/**
 * The base a field is compared against. Without a snapshot (first contact: the record was matched by its
 * code, or created by an outbound flow) the owner's current value is taken as the base, so the owner's
 * side counts as changed and wins without a conflict; a shared field has no such default and a
 * disagreement is a concurrent edit.
 */
export function effectiveBase(
  field: string,
  owner: FieldOwner,
  erp: unknown,
  local: unknown,
  snapshot: SideSnapshot | undefined,
): EffectiveBase {
  if (snapshot && Object.hasOwn(snapshot.erp, field) && Object.hasOwn(snapshot.local, field)) {
    return { erp: snapshot.erp[field], local: snapshot.local[field], known: true };
  }
  if (owner === 'erp') return { erp: local, local, known: true };
  if (owner === 'fieldsync') return { erp, local: erp, known: true };
  return { erp: unknownBase, local: unknownBase, known: false };
}

const localValue = (local: Readonly<Record<string, unknown>>, field: string): unknown =>
  getPath(local, field) ?? null;

/**
 * The 3-way decision for every mapped field. Each side is compared with its own last-synced value (so a
 * value the module normalises, such as "10" stored as "10.00", is not a change), and `resolveField`
 * applies the ownership policy. Unlike a silent overwrite, a conflict holds the field: nothing is
 * applied and a person decides, except for shared fields whose rule settles clashes by itself.
 */
export function decideFields(input: DecideInput): FieldAction[] {
  const actions: FieldAction[] = [];
  for (const [field, ownership] of Object.entries(input.ownership)) {
    // Mapped values are keyed by target field, dotted ones (`externalRefs.tryton`) included.
    const erp = Object.hasOwn(input.erp, field) ? input.erp[field] : getPath(input.erp, field);
    if (erp === undefined) continue;
    const local = localValue(input.local, field);
    if (isDeepStrictEqual(erp, local)) {
      actions.push({ field, action: 'converge', erp, local });
      continue;
    }
    const base = effectiveBase(field, ownership.owner, erp, local, input.snapshot);
    const erpChanged = !isDeepStrictEqual(erp, base.erp);
    const localChanged = !isDeepStrictEqual(local, base.local);
    if (!erpChanged && !localChanged) {
      actions.push({ field, action: 'none', erp, local });
      continue;
    }
    // resolveField takes one base; pick one that reproduces which side changed.
    const oneBase = erpChanged && localChanged ? unknownBase : erpChanged ? local : erp;
    const decided = resolveField(ownership, {
      base: oneBase,
      fieldsync: local,
      erp,
      fieldsyncModifiedAt: input.localModifiedAt,
      erpModifiedAt: input.erpModifiedAt,
    });
    if (decided.conflict) {
      const rule = ownership.rule;
      if (
        ownership.owner === 'shared' &&
        rule !== undefined &&
        rule !== 'manual' &&
        decided.winner !== 'none'
      ) {
        actions.push({
          field,
          action: 'auto',
          erp,
          local,
          winner: decided.winner,
          rule,
          conflict: decided.conflict,
        });
      } else actions.push({ field, action: 'hold', erp, local, conflict: decided.conflict });
    } else if (decided.winner === 'erp') actions.push({ field, action: 'apply_erp', erp, local });
    else actions.push({ field, action: 'keep_local', erp, local });
  }
  return actions;
}
