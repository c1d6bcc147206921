import { z } from 'zod';
import { amountPattern, currencyPattern } from '../../../shared/money.js';

/**
 * The billing document shape the UBL builder takes: what an approved billing document must say to become
 * a UBL 2.1 Invoice. The billing module maps its own document onto this (amounts and quantities as
 * decimal strings, never floats).
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const decimal = z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'a decimal number');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const ublAddressSchema = z.object({
  street: text(200).optional(),
  additionalStreet: text(200).optional(),
  city: text(100).optional(),
  postalZone: text(20).optional(),
  countrySubentity: text(100).optional(),
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 country code'),
});

export const ublPartySchema = z.object({
  name: text(200),
  /** The party's id in our system or the ERP (PartyIdentification). */
  id: text(64).optional(),
  /** VAT identifier (PartyTaxScheme/CompanyID). */
  taxId: text(40).optional(),
  /** Legal name when it differs from the trading name. */
  registrationName: text(200).optional(),
  address: ublAddressSchema,
  contact: z
    .object({ name: text(200).optional(), phone: text(40).optional(), email: text(254).optional() })
    .optional(),
});

/** UNCL 5305 tax category codes as used by EN 16931. */
export const ublTaxCategoryIds = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'] as const;

export const ublLineSchema = z.object({
  id: text(64),
  itemName: text(200),
  description: text(1000).optional(),
  sellersItemId: text(64).optional(),
  quantity: decimal,
  /** UN/ECE Recommendation 20 unit code, e.g. C62 (one), HUR (hour), LTR (litre). */
  unitCode: z.string().regex(/^[A-Z0-9]{1,3}$/, 'a UN/ECE Rec 20 unit code such as C62'),
  unitPrice: z
    .string()
    .regex(amountPattern, 'a decimal amount')
    .refine((value) => !value.startsWith('-'), 'must not be negative'),
  /** When given it must equal quantity × unitPrice rounded to the currency; it is computed otherwise. */
  lineExtensionAmount: decimal.optional(),
  tax: z
    .object({
      category: z.enum(ublTaxCategoryIds),
      percent: z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, 'a percentage such as 19 or 7.5'),
      exemptionReason: text(200).optional(),
    })
    .optional(),
});

export const ublInvoiceInputSchema = z
  .object({
    id: text(64),
    issueDate: isoDate,
    dueDate: isoDate.optional(),
    /** UNCL 1001: 380 commercial invoice (default), 381 credit note as invoice, 384 corrected invoice. */
    invoiceTypeCode: z
      .string()
      .regex(/^\d{3}$/)
      .default('380'),
    note: text(1000).optional(),
    currency: z.string().regex(currencyPattern, 'an ISO 4217 code'),
    buyerReference: text(200).optional(),
    orderReference: text(200).optional(),
    /** e.g. urn:cen.eu:en16931:2017 — only claim a specification the document really meets. */
    customizationId: text(200).optional(),
    profileId: text(200).optional(),
    supplier: ublPartySchema,
    customer: ublPartySchema,
    lines: z.array(ublLineSchema).min(1, 'an invoice needs at least one line').max(10_000),
    prepaidAmount: z.string().regex(amountPattern).optional(),
  })
  .refine(
    (doc) =>
      doc.lines.every((line) => line.tax !== undefined) || doc.lines.every((line) => line.tax === undefined),
    {
      message: 'either every line carries a tax category or none does',
      path: ['lines'],
    },
  )
  .refine((doc) => new Set(doc.lines.map((line) => line.id)).size === doc.lines.length, {
    message: 'line ids must be unique',
    path: ['lines'],
  });

export type UblInvoiceInput = z.input<typeof ublInvoiceInputSchema>;
export type UblInvoice = z.output<typeof ublInvoiceInputSchema>;
export type UblParty = z.output<typeof ublPartySchema>;
export type UblLine = z.output<typeof ublLineSchema>;
