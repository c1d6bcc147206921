import { isDeepStrictEqual } from 'node:util';
import type { FieldOwner, SharedRule } from './mapping-spec.js';

export const sharedRuleDescriptions: Readonly<Record<SharedRule, string>> = {
  'latest-wins':
    'both sides edited: the later modification wins (a tie goes to the ERP); the clash is still reported',
  'erp-wins-on-conflict': 'both sides edited: the ERP value wins; the clash is still reported',
  'fieldsync-wins-on-conflict': 'both sides edited: the Fieldsync value wins; the clash is still reported',
  manual: 'both sides edited: nothing changes until a person picks a value',
};

export interface FieldVersions {
  /** The value both sides agreed on at the last successful sync (the 3-way base). */
  base: unknown;
  fieldsync: unknown;
  erp: unknown;
  /** Needed by `latest-wins` only. ISO-8601 UTC. */
  fieldsyncModifiedAt?: string;
  erpModifiedAt?: string;
}

export interface FieldConflict {
  /** `non_owner_change`: the side that does not own the field changed it; `concurrent_edit`: both changed a shared field. */
  kind: 'non_owner_change' | 'concurrent_edit';
  message: string;
}

export interface FieldResolution {
  value: unknown;
  /** `none`: nothing to apply (unchanged, or held for a manual decision). */
  winner: 'erp' | 'fieldsync' | 'none';
  conflict?: FieldConflict;
}

/**
 * Settles one field by 3-way comparison. A change on the side that does not own a field is never
 * applied silently: the owner's value stands and the change is reported as a conflict.
 */
export function resolveField(
  ownership: { owner: FieldOwner; rule?: SharedRule },
  v: FieldVersions,
): FieldResolution {
  const fieldsyncChanged = !isDeepStrictEqual(v.fieldsync, v.base);
  const erpChanged = !isDeepStrictEqual(v.erp, v.base);
  if (!fieldsyncChanged && !erpChanged) return { value: v.base, winner: 'none' };

  if (ownership.owner === 'erp') {
    return fieldsyncChanged
      ? {
          value: v.erp,
          winner: 'erp',
          conflict: { kind: 'non_owner_change', message: 'Fieldsync changed a field the ERP owns' },
        }
      : { value: v.erp, winner: 'erp' };
  }
  if (ownership.owner === 'fieldsync') {
    return erpChanged
      ? {
          value: v.fieldsync,
          winner: 'fieldsync',
          conflict: { kind: 'non_owner_change', message: 'the ERP changed a field Fieldsync owns' },
        }
      : { value: v.fieldsync, winner: 'fieldsync' };
  }

  if (!erpChanged) return { value: v.fieldsync, winner: 'fieldsync' };
  if (!fieldsyncChanged || isDeepStrictEqual(v.erp, v.fieldsync)) return { value: v.erp, winner: 'erp' };
  const rule = ownership.rule ?? 'manual';
  const conflict: FieldConflict = {
    kind: 'concurrent_edit',
    message: `both sides changed a shared field (rule ${rule})`,
  };
  switch (rule) {
    case 'latest-wins': {
      const fieldsyncLater = (v.fieldsyncModifiedAt ?? '') > (v.erpModifiedAt ?? '');
      return fieldsyncLater
        ? { value: v.fieldsync, winner: 'fieldsync', conflict }
        : { value: v.erp, winner: 'erp', conflict };
    }
    case 'erp-wins-on-conflict':
      return { value: v.erp, winner: 'erp', conflict };
    case 'fieldsync-wins-on-conflict':
      return { value: v.fieldsync, winner: 'fieldsync', conflict };
    case 'manual':
      return { value: v.base, winner: 'none', conflict };
  }
}
