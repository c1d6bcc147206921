import type { ReadSpec, Row } from '../../runtime/reader.js';
import { decimalText, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';

/**
 * Product variants (`product.product`): the SKU is the variant's code. Name, unit, list price and category
 * live on the template, whose edits do not move the variant's stamp, so the template's stamps count too.
 */
export const productReadSpec: ReadSpec = {
  model: 'product.product',
  domain: [],
  stampPrefixes: ['template.'],
  fields: [
    'code',
    'name',
    'active',
    'type',
    'list_price',
    'cost_price',
    'template',
    'default_uom.symbol',
    'default_uom.name',
    'template.categories',
    'template.account_category',
  ],
  async toData(rows: readonly Row[], rt: TrytonRuntime) {
    const categoryIds = new Set<number>();
    for (const row of rows) {
      for (const c of (related(row, 'template.categories') as number[] | null) ?? []) categoryIds.add(c);
      const account = related(row, 'template.account_category');
      if (typeof account === 'number') categoryIds.add(account);
    }
    const categories = new Map(
      categoryIds.size === 0
        ? []
        : (
            await rt.client.read<{ id: number; name: string }>('product.category', [...categoryIds], ['name'])
          ).map((c) => [c.id, c.name]),
    );
    return rows.map((row) => {
      const names = ((related(row, 'template.categories') as number[] | null) ?? []).map(
        (c) => categories.get(c) ?? '',
      );
      const account = related(row, 'template.account_category');
      return {
        id: row.id,
        sku: text(row.code),
        name: text(row.name),
        active: row.active,
        type: row.type,
        unit: text(related(row, 'default_uom.symbol')),
        unitName: text(related(row, 'default_uom.name')),
        listPrice: decimalText(row.list_price),
        costPrice: decimalText(row.cost_price),
        category: names[0] ?? (typeof account === 'number' ? (categories.get(account) ?? null) : null),
        categories: names,
        templateId: row.template,
      };
    });
  },
};
