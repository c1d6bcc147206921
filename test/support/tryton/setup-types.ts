/** Ids created or found by the template setup, saved as setup.json next to the template. */
export interface TrytonSetup {
  harnessVersion: string;
  trytondVersion: string;
  /** ISO timestamp of the build. */
  builtAt: string;
  adminUserId: number;
  company: { id: number; partyId: number; currencyId: number };
  currencies: { EUR: number; USD: number };
  employee: { id: number; partyId: number };
  /** Accounts created from the minimal English chart (account_template_*_en). */
  accounts: {
    root: number;
    receivable: number;
    payable: number;
    revenue: number;
    expense: number;
    cash: number;
    tax: number;
  };
  journals: { revenue: number; expense: number; cash: number; stock: number };
  fiscalYears: Array<{ id: number; year: number; periodIds: number[]; moveSequenceId: number }>;
  /** Accounting product category (revenue/expense accounts) also set as the configuration default. */
  accountCategoryId: number;
  paymentTermId: number;
  uom: { unit: number; hour: number };
  /** stock.location ids by the stock module's XML ids. */
  locations: {
    warehouse: number;
    storage: number;
    input: number;
    output: number;
    customer: number;
    supplier: number;
    lostFound: number;
    transit: number;
  };
  analytic: { rootId: number; costCenters: Record<string, number> };
  /** How long the template build took (trytond-admin alone, and everything). */
  timings?: { trytondAdminMs: number; totalMs: number };
}
