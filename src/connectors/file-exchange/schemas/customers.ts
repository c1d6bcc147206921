import { z } from 'zod';
import {
  code,
  optionalCountry,
  optionalCurrency,
  optionalEmail,
  optionalText,
  requiredText,
} from './fields.js';

/** customers: one row per customer, keyed by `code` (applied as an upsert). */
export const customerImportSchema = z.object({
  code: code(),
  name: requiredText(200),
  email: optionalEmail,
  phone: optionalText(40),
  tax_id: optionalText(40),
  street: optionalText(200),
  city: optionalText(100),
  postal_code: optionalText(20),
  country: optionalCountry,
  currency: optionalCurrency,
});

export const customerColumns = Object.keys(customerImportSchema.shape);
export const customerRequired = ['code', 'name'];

export type CustomerImport = {
  code: string;
  name: string;
  email?: string;
  phone?: string;
  taxId?: string;
  street?: string;
  city?: string;
  postalCode?: string;
  country?: string;
  currency?: string;
};

export function toCustomerImport(row: z.infer<typeof customerImportSchema>): CustomerImport {
  return compact({
    code: row.code,
    name: row.name,
    email: row.email,
    phone: row.phone,
    taxId: row.tax_id,
    street: row.street,
    city: row.city,
    postalCode: row.postal_code,
    country: row.country,
    currency: row.currency,
  });
}

/** Leaves out absent optional fields so domain services see "not given", not `undefined` values. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
