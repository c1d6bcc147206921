import { get, getAll, qs } from '../api.js';
import { syncHistory } from '../components/sync-history.js';
import { badge, h, replace, table } from '../dom.js';
import { when } from '../format.js';
import type { Item, Warehouse } from '../names.js';
import { items, regions, warehouses } from '../names.js';
import type { Page } from '../page.js';
import { truncationNote } from '../page.js';

interface OnHand {
  itemId: string;
  warehouseId: string;
  quantity: string;
}
interface Movement {
  id: string;
  kind: string;
  quantity: string;
  onHandAfter: string;
  reference: string | null;
  workOrderId: string | null;
  postedAt: string;
}

/**
 * Stock per warehouse and item (GET /v1/stock/on-hand): one row per item, one column per warehouse. A
 * quantity opens that item × warehouse: its recent ledger movements and how they reached the ERP.
 */
export const stockPage: Page = async (root, params) => {
  const region = params.get('region') ?? '';
  const warehouseId = params.get('warehouseId') ?? '';
  const search = (params.get('q') ?? '').toLowerCase();
  const [allWarehouses, allItems, known] = await Promise.all([warehouses(), items(), regions()]);
  const detail = h('section', { id: 'stock-detail' });
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const data = new FormData(form);
        const value = (k: string) => String(data.get(k) ?? '');
        location.hash = `#/stock${qs({ region: value('region'), warehouseId: value('warehouseId'), q: value('q') })}`;
      },
    },
    h(
      'label',
      {},
      'Region',
      h(
        'select',
        { name: 'region' },
        h('option', { value: '' }, 'all'),
        ...known.map((r) => h('option', { value: r, selected: r === region }, r)),
      ),
    ),
    h(
      'label',
      {},
      'Warehouse',
      h(
        'select',
        { name: 'warehouseId' },
        h('option', { value: '' }, 'all'),
        ...allWarehouses.map((w) =>
          h('option', { value: w.id, selected: w.id === warehouseId }, `${w.name} (${w.code})`),
        ),
      ),
    ),
    h(
      'label',
      {},
      'Item',
      h('input', { name: 'q', value: params.get('q') ?? '', placeholder: 'SKU or name' }),
    ),
    h('button', { type: 'submit' }, 'Show'),
  );
  const onHand = await getAll<OnHand>(`/stock/on-hand${qs({ region, warehouseId })}`);
  // Sets and maps, not a scan of the on-hand rows per item and per warehouse: with 10,000 of each that
  // was 10^8 comparisons before the page could draw.
  const stockedWarehouses = new Set(onHand.map((o) => o.warehouseId));
  const columns = allWarehouses.filter(
    (w) =>
      (!region || w.region === region) &&
      (!warehouseId || w.id === warehouseId) &&
      (w.status === 'active' || stockedWarehouses.has(w.id)),
  );
  const quantities = new Map(onHand.map((o) => [`${o.itemId}|${o.warehouseId}`, o.quantity]));
  const itemById = new Map(allItems.map((i) => [i.id, i]));
  // One row per item that has stock, known by name or not: an item past the item list's limit still
  // shows its quantities (under its id) rather than vanishing.
  const rows = [...new Set(onHand.map((o) => o.itemId))]
    .map((id): Item => itemById.get(id) ?? { id, sku: id, name: '(item not loaded)', unit: '?', kind: '' })
    .filter((i) => !search || i.sku.toLowerCase().includes(search) || i.name.toLowerCase().includes(search))
    .sort((a, b) => a.sku.localeCompare(b.sku));

  const open = (item: Item, w: Warehouse) => void showDetail(detail, item, w);
  replace(
    root,
    h('h1', {}, 'Stock'),
    h(
      'p',
      { class: 'lead' },
      'On hand per item and warehouse (central, regional, technician vans). Choose a quantity for its movements.',
    ),
    form,
    truncationNote([
      [onHand, 'on-hand quantities', 'choose a region or a warehouse'],
      [allItems, 'items', 'quantities of the others show under their id'],
      [allWarehouses, 'warehouses', 'choose a region'],
    ]),
    table(
      ['Item', ...columns.map((w) => `${w.name} (${w.code})`)],
      rows,
      (item) => [
        h('span', {}, h('code', {}, item.sku), h('br', {}), h('small', {}, `${item.name}, per ${item.unit}`)),
        ...columns.map((w) => {
          const q = quantities.get(`${item.id}|${w.id}`);
          return q === undefined
            ? h('span', { class: 'hint' }, '—')
            : h(
                'button',
                {
                  class: 'link qty',
                  'data-testid': `qty-${item.sku}-${w.code}`,
                  onclick: () => open(item, w),
                },
                q,
              );
        }),
      ],
      'No stock matches.',
    ),
    detail,
  );
};

async function showDetail(box: HTMLElement, item: Item, w: Warehouse): Promise<void> {
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  const page = await get<{ data: Movement[] }>(
    `/stock/movements${qs({ itemId: item.id, warehouseId: w.id, from: since, limit: 100 })}`,
  );
  replace(
    box,
    h('h2', {}, `${item.sku} in ${w.name}`),
    table(
      ['Posted', 'Kind', 'Quantity', 'On hand after', 'Reference'],
      [...page.data].reverse(),
      (m) => [
        when(m.postedAt),
        badge(m.kind),
        m.quantity,
        m.onHandAfter,
        m.workOrderId
          ? h(
              'a',
              { href: `#/work-order?id=${encodeURIComponent(m.workOrderId)}` },
              m.reference ?? 'work order',
            )
          : (m.reference ?? ''),
      ],
      'No movements in the last 90 days.',
    ),
    syncHistory(`stock/${item.id}:${w.id}`, 'Sync history of these movements'),
  );
  box.scrollIntoView({ block: 'start' });
}
