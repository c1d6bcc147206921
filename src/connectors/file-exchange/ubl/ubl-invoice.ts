import { Decimal } from 'decimal.js';
import { AppError, AppErrorCode } from '../../../shared/errors/index.js';
import { renderXml, type XmlElement } from '../writers/xml-text.js';
import { xmlTextProblem } from '../text-rules.js';
import {
  ublInvoiceInputSchema,
  type UblInvoice,
  type UblInvoiceInput,
  type UblParty,
} from './ubl-document.js';
import { computeUblTotals, type UblTotals } from './ubl-totals.js';

export const UBL_NAMESPACES = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

const cbc = (
  name: string,
  text: string | undefined,
  attrs?: Record<string, string>,
): XmlElement | undefined =>
  text === undefined ? undefined : { name: `cbc:${name}`, text, ...(attrs === undefined ? {} : { attrs }) };
const cac = (name: string, ...children: (XmlElement | undefined)[]): XmlElement => ({
  name: `cac:${name}`,
  children,
});

/** Validates the input (AppError validation with field issues) and resolves defaults. */
export function parseUblInvoiceInput(input: UblInvoiceInput): UblInvoice {
  const parsed = ublInvoiceInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(AppErrorCode.validation, 'billing document cannot become a UBL invoice', {
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
        message: issue.message,
      })),
    });
  }
  const problems: string[] = [];
  JSON.stringify(parsed.data, (key, value: unknown) => {
    if (typeof value === 'string') {
      const problem = xmlTextProblem(value);
      if (problem !== undefined) problems.push(`${key}: ${problem}`);
    }
    return value;
  });
  if (problems.length > 0)
    throw new AppError(
      AppErrorCode.validation,
      `billing document has text XML cannot carry: ${problems.join('; ')}`,
    );
  return parsed.data;
}

function party(role: 'AccountingSupplierParty' | 'AccountingCustomerParty', p: UblParty): XmlElement {
  const address = cac(
    'PostalAddress',
    cbc('StreetName', p.address.street),
    cbc('AdditionalStreetName', p.address.additionalStreet),
    cbc('CityName', p.address.city),
    cbc('PostalZone', p.address.postalZone),
    cbc('CountrySubentity', p.address.countrySubentity),
    cac('Country', cbc('IdentificationCode', p.address.country)),
  );
  const contact =
    p.contact === undefined
      ? undefined
      : cac(
          'Contact',
          cbc('Name', p.contact.name),
          cbc('Telephone', p.contact.phone),
          cbc('ElectronicMail', p.contact.email),
        );
  return cac(
    role,
    cac(
      'Party',
      p.id === undefined ? undefined : cac('PartyIdentification', cbc('ID', p.id)),
      cac('PartyName', cbc('Name', p.name)),
      address,
      p.taxId === undefined
        ? undefined
        : cac('PartyTaxScheme', cbc('CompanyID', p.taxId), cac('TaxScheme', cbc('ID', 'VAT'))),
      cac('PartyLegalEntity', cbc('RegistrationName', p.registrationName ?? p.name)),
      contact,
    ),
  );
}

function taxCategory(
  name: 'TaxCategory' | 'ClassifiedTaxCategory',
  category: string,
  percent: string,
  exemptionReason?: string,
): XmlElement {
  // EN 16931 gives "not subject to VAT" (O) no rate.
  return cac(
    name,
    cbc('ID', category),
    category === 'O' ? undefined : cbc('Percent', percent),
    cbc('TaxExemptionReason', exemptionReason),
    cac('TaxScheme', cbc('ID', 'VAT')),
  );
}

/** The element tree, in the order the UBL 2.1 Invoice schema requires. */
export function ublInvoiceTree(doc: UblInvoice, totals: UblTotals = computeUblTotals(doc)): XmlElement {
  const amount = (name: string, value: string | undefined) => cbc(name, value, { currencyID: doc.currency });
  const lines = doc.lines.map((line, index) =>
    cac(
      'InvoiceLine',
      cbc('ID', line.id),
      cbc('InvoicedQuantity', new Decimal(line.quantity).toFixed(), { unitCode: line.unitCode }),
      amount('LineExtensionAmount', totals.lineAmounts[index]),
      cac(
        'Item',
        cbc('Description', line.description),
        cbc('Name', line.itemName),
        line.sellersItemId === undefined
          ? undefined
          : cac('SellersItemIdentification', cbc('ID', line.sellersItemId)),
        line.tax === undefined
          ? undefined
          : taxCategory(
              'ClassifiedTaxCategory',
              line.tax.category,
              new Decimal(line.tax.percent).toFixed(),
              line.tax.exemptionReason,
            ),
      ),
      cac('Price', amount('PriceAmount', new Decimal(line.unitPrice).toFixed())),
    ),
  );
  const taxTotal =
    totals.tax === undefined
      ? undefined
      : cac(
          'TaxTotal',
          amount('TaxAmount', totals.tax.taxAmount),
          ...totals.tax.subtotals.map((subtotal) =>
            cac(
              'TaxSubtotal',
              amount('TaxableAmount', subtotal.taxableAmount),
              amount('TaxAmount', subtotal.taxAmount),
              taxCategory('TaxCategory', subtotal.category, subtotal.percent, subtotal.exemptionReason),
            ),
          ),
        );
  return {
    name: 'Invoice',
    attrs: {
      xmlns: UBL_NAMESPACES.invoice,
      'xmlns:cac': UBL_NAMESPACES.cac,
      'xmlns:cbc': UBL_NAMESPACES.cbc,
    },
    children: [
      cbc('UBLVersionID', '2.1'),
      cbc('CustomizationID', doc.customizationId),
      cbc('ProfileID', doc.profileId),
      cbc('ID', doc.id),
      cbc('IssueDate', doc.issueDate),
      cbc('DueDate', doc.dueDate),
      cbc('InvoiceTypeCode', doc.invoiceTypeCode),
      cbc('Note', doc.note),
      cbc('DocumentCurrencyCode', doc.currency),
      cbc('LineCountNumeric', String(doc.lines.length)),
      cbc('BuyerReference', doc.buyerReference),
      doc.orderReference === undefined ? undefined : cac('OrderReference', cbc('ID', doc.orderReference)),
      party('AccountingSupplierParty', doc.supplier),
      party('AccountingCustomerParty', doc.customer),
      taxTotal,
      cac(
        'LegalMonetaryTotal',
        amount('LineExtensionAmount', totals.lineExtensionAmount),
        amount('TaxExclusiveAmount', totals.taxExclusiveAmount),
        amount('TaxInclusiveAmount', totals.taxInclusiveAmount),
        amount('PrepaidAmount', totals.prepaidAmount),
        amount('PayableAmount', totals.payableAmount),
      ),
      ...lines,
    ],
  };
}

/** Builds the UBL 2.1 Invoice XML for one approved billing document. */
export function buildUblInvoice(input: UblInvoiceInput): {
  xml: string;
  totals: UblTotals;
  document: UblInvoice;
} {
  const document = parseUblInvoiceInput(input);
  const totals = computeUblTotals(document);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${renderXml(ublInvoiceTree(document, totals))}`;
  return { xml, totals, document };
}
