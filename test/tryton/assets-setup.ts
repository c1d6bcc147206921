import type { TrytonHandle } from '../support/tryton/index.js';
import { xmlId } from '../support/tryton/index.js';

/**
 * The harness template has account_asset installed but no asset accounting (docs/connectors/tryton-harness.md),
 * so asset tests add it: an asset number sequence, an accounting category with asset and depreciation
 * accounts (the minimal chart's "Assets" and "Depreciation"), and a depreciable product.
 */
export async function setUpAssetAccounting(
  tryton: TrytonHandle,
  sku: string,
): Promise<{ product: number; category: number }> {
  const client = tryton.client();
  const sequenceType = await xmlId(client, 'account_asset', 'sequence_type_asset');
  const [sequence] = await client.create('ir.sequence', [
    { name: 'Assets', sequence_type: sequenceType, company: tryton.setup.company.id },
  ]);
  await client.write('account.configuration', [1], { asset_sequence: sequence });
  const accountByName = async (name: string): Promise<number> => {
    const ids = await client.search('account.account', [['name', '=', name]], { limit: 1 });
    if (ids[0] === undefined) throw new Error(`no account "${name}" in the minimal chart`);
    return ids[0];
  };
  const [category] = await client.create('product.category', [
    {
      name: 'Installed equipment',
      accounting: true,
      account_expense: tryton.setup.accounts.expense,
      account_revenue: tryton.setup.accounts.revenue,
      account_asset: await accountByName('Assets'),
      account_depreciation: await accountByName('Depreciation'),
    },
  ]);
  const [template] = await client.create('product.template', [
    {
      name: `Boiler ${sku}`,
      type: 'assets',
      depreciable: true,
      purchasable: true,
      purchase_uom: tryton.setup.uom.unit,
      depreciation_duration: 24,
      default_uom: tryton.setup.uom.unit,
      list_price: '0',
      account_category: category,
      products: [['create', [{ suffix_code: sku, cost_price: '2400' }]]],
    },
  ]);
  const [row] = await client.read<{ products: number[] }>(
    'product.template',
    [template as number],
    ['products'],
  );
  return { product: row?.products[0] as number, category: category as number };
}

/** A fixed asset of `value`, depreciated monthly over 24 months from January, on a cost center. */
export async function createAsset(
  tryton: TrytonHandle,
  product: number,
  options: {
    value: string;
    year: number;
    costCenter?: string;
    run?: boolean;
    /** Made from this supplier invoice line (the way Tryton links an asset to its purchase). */
    supplierInvoiceLine?: number;
    quantity?: number;
  },
): Promise<number> {
  const client = tryton.client();
  const assetJournal = await xmlId(client, 'account_asset', 'journal_asset');
  const { costCenters, rootId } = tryton.setup.analytic;
  const cc = options.costCenter === undefined ? undefined : costCenters[options.costCenter];
  const [asset] = await client.create('account.asset', [
    {
      product,
      value: options.value,
      purchase_date: `${options.year}-01-01`,
      start_date: `${options.year}-01-01`,
      end_date: `${options.year + 1}-12-31`,
      account_journal: assetJournal,
      company: tryton.setup.company.id,
      quantity: options.quantity ?? 1,
      ...(options.supplierInvoiceLine === undefined
        ? {}
        : { supplier_invoice_line: options.supplierInvoiceLine }),
      unit: tryton.setup.uom.unit,
      depreciation_method: 'linear',
      frequency: 'monthly',
      ...(cc === undefined ? {} : { analytic_accounts: [['create', [{ root: rootId, account: cc }]]] }),
    },
  ]);
  if (options.run !== false) await client.execute('account.asset', 'run', [asset as number]);
  return asset as number;
}

/** Posts the depreciation of every running asset up to `date` (wizard account.asset.create_moves). */
export async function postDepreciation(tryton: TrytonHandle, date: string): Promise<void> {
  await tryton
    .client()
    .wizard('account.asset.create_moves', [
      { state: 'start' },
      { state: 'create_moves', values: { start: { date } } },
    ]);
}
