export interface CustomersTable {
  id: string;
  /** The customer number people use; unique when present (usually the ERP's code). */
  code: string | null;
  name: string;
  legal_name: string | null;
  tax_id: string | null;
  email: string | null;
  phone: string | null;
  currency: string;
  status: string;
  /** JSON object: connector name → the record's id in that system. */
  external_refs: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CustomerSitesTable {
  id: string;
  customer_id: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postal_code: string | null;
  country: string;
  region: string | null;
  is_billing: number;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface CustomerContactsTable {
  id: string;
  customer_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: string | null;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface CustomersTables {
  customers: CustomersTable;
  customer_sites: CustomerSitesTable;
  customer_contacts: CustomerContactsTable;
}
