import { z } from 'zod';

const text = z.string().trim().min(1);
const optionalText = text.nullable().optional();

/** A Fieldsync customer site, as events carry it (extra keys such as `id` or `region` are ignored). */
export const siteSchema = z
  .object({
    name: optionalText,
    line1: optionalText,
    line2: optionalText,
    city: optionalText,
    postalCode: optionalText,
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2')
      .nullable()
      .optional(),
    isBilling: z.boolean().optional(),
    status: z.string().optional(),
  })
  .loose();

/** A Fieldsync customer contact, as events carry it. */
export const contactSchema = z
  .object({
    name: optionalText,
    email: optionalText,
    phone: optionalText,
    status: z.string().optional(),
  })
  .loose();

/**
 * What a `party` write accepts. Sites and contacts are Fieldsync's own shapes because a mapping copies
 * arrays as they are; the connector turns them into addresses and contact mechanisms.
 */
export const partyPayloadSchema = z
  .object({
    name: text.max(500),
    /** Tryton's party code; omitted → Tryton numbers the party itself. */
    code: optionalText,
    active: z.boolean().optional(),
    email: optionalText,
    phone: optionalText,
    sites: z.array(siteSchema).max(500).optional(),
    contacts: z.array(contactSchema).max(500).optional(),
    /**
     * Optimistic check for updates: the party's modifiedAt as last read. A party changed since then is a
     * `conflict` (checked here, then enforced by Tryton's `_timestamp` against a change in between).
     */
    ifUnmodifiedSince: z.string().min(1).optional(),
    /** Overrides the reference searched before create (default: the Fieldsync record id). */
    reference: text.max(500).optional(),
  })
  .strict();
export type PartyPayload = z.output<typeof partyPayloadSchema>;
export type SitePayload = z.output<typeof siteSchema>;

export interface AddressValues {
  name: string | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: number | null;
  active: boolean;
  sequence: number;
}

export interface MechanismValues {
  type: 'email' | 'phone';
  value: string;
  name: string | null;
}

/** Contact mechanisms named by a payload, without duplicates (type + value). */
export function mechanismsOf(payload: PartyPayload): MechanismValues[] {
  const out = new Map<string, MechanismValues>();
  const add = (type: 'email' | 'phone', value: string | null | undefined, name: string | null) => {
    if (value && !out.has(`${type}:${value}`)) out.set(`${type}:${value}`, { type, value, name });
  };
  add('email', payload.email, null);
  add('phone', payload.phone, null);
  for (const c of payload.contacts ?? []) {
    if (c.status === 'archived') continue;
    add('email', c.email, c.name ?? null);
    add('phone', c.phone, c.name ?? null);
  }
  return [...out.values()];
}
