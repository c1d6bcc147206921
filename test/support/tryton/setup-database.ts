import type { TrytonClient } from '../../../src/connectors/tryton/transport/index.js';
import { trytonDate } from '../../../src/connectors/tryton/transport/index.js';
import type { TrytonSetup } from './setup-types.js';

/** db id of a record by its XML id (module.fs_id), read from ir.model.data. */
export async function xmlId(client: TrytonClient, module: string, fsId: string): Promise<number> {
  const rows = await client.searchRead<{ db_id: number }>(
    'ir.model.data',
    [
      ['module', '=', module],
      ['fs_id', '=', fsId],
    ],
    { fields: ['db_id'], limit: 1 },
  );
  const row = rows[0];
  if (!row) throw new Error(`XML id ${module}.${fsId} not found`);
  return row.db_id;
}

async function one(client: TrytonClient, model: string, values: Record<string, unknown>): Promise<number> {
  const [id] = await client.create(model, [values]);
  if (id === undefined) throw new Error(`create ${model} returned no id`);
  return id;
}

/**
 * Makes a fresh database usable for the connector: company, currencies, chart of accounts, fiscal years
 * with sequences and periods, accounting category, payment term, analytic cost centers. Runs once per
 * template; every test database is a copy. `client` must have requireCompany: false (no company yet).
 */
export async function setupDatabase(
  client: TrytonClient,
  meta: { harnessVersion: string; trytondVersion: string; year: number },
): Promise<TrytonSetup> {
  const adminUserId = (await client.login()).userId;

  const eur = await one(client, 'currency.currency', {
    name: 'Euro',
    code: 'EUR',
    symbol: '€',
    rounding: '0.01',
    digits: 2,
    rates: [['create', [{ date: '2000-01-01', rate: '1' }]]],
  });
  const usd = await one(client, 'currency.currency', {
    name: 'US Dollar',
    code: 'USD',
    symbol: '$',
    rounding: '0.01',
    digits: 2,
    rates: [['create', [{ date: '2000-01-01', rate: '1.1' }]]],
  });

  const companyPartyId = await one(client, 'party.party', { name: 'Fieldsync Test Company' });
  const companyId = await one(client, 'company.company', { party: companyPartyId, currency: eur });
  const employeePartyId = await one(client, 'party.party', { name: 'Test Technician' });
  const employeeId = await one(client, 'company.employee', { party: employeePartyId, company: companyId });
  // The company must be among the user's companies before it can be the current one.
  await client.write('res.user', [adminUserId], {
    companies: [['add', [companyId]]],
    employees: [['add', [employeeId]]],
  });
  await client.write('res.user', [adminUserId], { company: companyId, employee: employeeId });
  client.refreshContext();
  const context = await client.context();
  if (context.company !== companyId) throw new Error(`company ${companyId} is not in the user context`);

  const chartRoot = await xmlId(client, 'account', 'account_template_root_en');
  const chart = await client.wizard('account.create_chart', [
    { state: 'create_account', values: { account: { company: companyId, account_template: chartRoot } } },
  ]);
  const accounts = await chartAccounts(client, companyId);
  const properties = chart[0]?.view?.state ?? 'properties';
  await runCreateProperties(client, properties, companyId, accounts.receivable, accounts.payable);

  const fiscalYears: TrytonSetup['fiscalYears'] = [];
  for (const year of [meta.year, meta.year + 1]) {
    fiscalYears.push(await createFiscalYear(client, companyId, year));
  }

  const accountCategoryId = await one(client, 'product.category', {
    name: 'Fieldsync Default',
    accounting: true,
    account_revenue: accounts.revenue,
    account_expense: accounts.expense,
  });
  await client.write('account.configuration', [1], {
    default_category_account_revenue: accounts.revenue,
    default_category_account_expense: accounts.expense,
  });

  const paymentTermId = await one(client, 'account.invoice.payment_term', {
    name: 'Net 30',
    lines: [
      ['create', [{ type: 'remainder', relativedeltas: [['create', [{ days: 30, months: 0, weeks: 0 }]]] }]],
    ],
  });

  const analyticRoot = await one(client, 'analytic_account.account', {
    name: 'Cost Centers',
    code: 'CC',
    type: 'root',
    company: companyId,
    state: 'opened',
  });
  const costCenters: Record<string, number> = {};
  for (const [code, name] of [
    ['CC-NORTH', 'Region North'],
    ['CC-SOUTH', 'Region South'],
  ] as const) {
    costCenters[code] = await one(client, 'analytic_account.account', {
      name,
      code,
      type: 'normal',
      root: analyticRoot,
      parent: analyticRoot,
      company: companyId,
      state: 'opened',
    });
  }

  return {
    harnessVersion: meta.harnessVersion,
    trytondVersion: meta.trytondVersion,
    builtAt: new Date().toISOString(),
    adminUserId,
    company: { id: companyId, partyId: companyPartyId, currencyId: eur },
    currencies: { EUR: eur, USD: usd },
    employee: { id: employeeId, partyId: employeePartyId },
    accounts,
    journals: {
      revenue: await xmlId(client, 'account', 'journal_revenue'),
      expense: await xmlId(client, 'account', 'journal_expense'),
      cash: await xmlId(client, 'account', 'journal_cash'),
      stock: await xmlId(client, 'account', 'journal_stock'),
    },
    fiscalYears,
    accountCategoryId,
    paymentTermId,
    uom: {
      unit: await xmlId(client, 'product', 'uom_unit'),
      hour: await xmlId(client, 'product', 'uom_hour'),
    },
    locations: await stockLocations(client),
    analytic: { rootId: analyticRoot, costCenters },
  };
}

/** Accounts created from the minimal chart, found through their template's XML id. */
async function chartAccounts(client: TrytonClient, companyId: number): Promise<TrytonSetup['accounts']> {
  const find = async (suffix: string): Promise<number> => {
    const template = await xmlId(client, 'account', `account_template_${suffix}_en`);
    const ids = await client.search('account.account', [
      ['template', '=', template],
      ['company', '=', companyId],
    ]);
    if (ids.length !== 1 || ids[0] === undefined)
      throw new Error(`account from template ${suffix}: ${ids.length}`);
    return ids[0];
  };
  return {
    root: await find('root'),
    receivable: await find('receivable'),
    payable: await find('payable'),
    revenue: await find('revenue'),
    expense: await find('expense'),
    cash: await find('cash'),
    tax: await find('tax'),
  };
}

/** Second half of account.create_chart: default receivable/payable accounts in account.configuration. */
async function runCreateProperties(
  client: TrytonClient,
  viewState: string,
  company: number,
  receivable: number,
  payable: number,
): Promise<void> {
  // The wizard session of the first half is gone; a new session can run the properties step alone.
  await client.wizard('account.create_chart', [
    {
      state: 'create_properties',
      values: { [viewState]: { company, account_receivable: receivable, account_payable: payable } },
    },
  ]);
  const [config] = await client.read<{ default_account_receivable: number | null }>(
    'account.configuration',
    [1],
    ['default_account_receivable'],
  );
  if (config?.default_account_receivable !== receivable)
    throw new Error('default receivable account not set');
}

/** A fiscal year with its move and invoice sequences and monthly periods (what an accountant opens). */
export async function createFiscalYear(
  client: TrytonClient,
  company: number,
  year: number,
): Promise<TrytonSetup['fiscalYears'][number]> {
  const moveSequenceId = await one(client, 'ir.sequence', {
    name: `Account Move ${year}`,
    sequence_type: await xmlId(client, 'account', 'sequence_type_account_move'),
    company,
    prefix: `M${year}-`,
    padding: 5,
  });
  const invoiceType = await xmlId(client, 'account_invoice', 'sequence_type_account_invoice');
  const strict = async (name: string, prefix: string): Promise<number> =>
    one(client, 'ir.sequence.strict', { name, sequence_type: invoiceType, company, prefix, padding: 5 });
  const outInvoice = await strict(`Customer Invoice ${year}`, `INV${year}-`);
  const outCredit = await strict(`Customer Credit Note ${year}`, `CN${year}-`);
  const inInvoice = await strict(`Supplier Invoice ${year}`, `SINV${year}-`);
  const inCredit = await strict(`Supplier Credit Note ${year}`, `SCN${year}-`);
  const id = await one(client, 'account.fiscalyear', {
    name: String(year),
    start_date: trytonDate(`${year}-01-01`),
    end_date: trytonDate(`${year}-12-31`),
    company,
    post_move_sequence: moveSequenceId,
    invoice_sequences: [
      [
        'create',
        [
          {
            company,
            out_invoice_sequence: outInvoice,
            out_credit_note_sequence: outCredit,
            in_invoice_sequence: inInvoice,
            in_credit_note_sequence: inCredit,
          },
        ],
      ],
    ],
  });
  // The "Create Periods" button is client-side only; the wizard behind it works over RPC.
  await client.wizard(
    'account.fiscalyear.create_periods',
    [{ state: 'create_periods', values: { start: { frequency: 'monthly', interval: 1, end_day: 31 } } }],
    { context: { active_model: 'account.fiscalyear', active_id: id, active_ids: [id] } },
  );
  const periodIds = await client.search('account.period', [['fiscalyear', '=', id]], {
    order: [['start_date', 'ASC']],
  });
  if (periodIds.length !== 12)
    throw new Error(`fiscal year ${year}: expected 12 periods, got ${periodIds.length}`);
  return { id, year, periodIds, moveSequenceId };
}

async function stockLocations(client: TrytonClient): Promise<TrytonSetup['locations']> {
  const ids = {
    warehouse: await xmlId(client, 'stock', 'location_warehouse'),
    storage: await xmlId(client, 'stock', 'location_storage'),
    input: await xmlId(client, 'stock', 'location_input'),
    output: await xmlId(client, 'stock', 'location_output'),
    customer: await xmlId(client, 'stock', 'location_customer'),
    supplier: await xmlId(client, 'stock', 'location_supplier'),
    lostFound: await xmlId(client, 'stock', 'location_lost_found'),
    transit: await xmlId(client, 'stock', 'location_transit'),
  };
  // Confirms the records behind the XML ids exist (ir.model.data can outlive a deleted record).
  const found = await client.read<{ id: number }>('stock.location', Object.values(ids), ['id']);
  if (found.length !== Object.keys(ids).length) throw new Error('a default stock location is missing');
  const [warehouse] = await client.read<Record<string, number>>(
    'stock.location',
    [ids.warehouse],
    ['storage_location', 'input_location', 'output_location', 'lost_found_location'],
  );
  const links = [warehouse?.storage_location, warehouse?.input_location, warehouse?.output_location];
  if (links.join() !== [ids.storage, ids.input, ids.output].join()) {
    throw new Error(
      `default warehouse is not wired to its storage/input/output: ${JSON.stringify(warehouse)}`,
    );
  }
  return ids;
}
