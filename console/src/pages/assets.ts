import { get, qs } from '../api.js';
import { badge, h, replace, table } from '../dom.js';
import { statusTone } from '../format.js';
import { byId, customers, items } from '../names.js';
import type { Page } from '../page.js';
import { truncationNote } from '../page.js';

export interface Asset {
  id: string;
  serialNumber: string;
  itemId: string;
  name: string | null;
  customerId: string;
  siteId: string;
  costCenter: string | null;
  status: string;
  installDate: string | null;
  warrantyPartsUntil: string | null;
  warrantyLaborUntil: string | null;
  meter: { value: string; readingAt: string } | null;
  parentAssetId: string | null;
}

const statuses = ['', 'ordered', 'installed', 'in_service', 'moved', 'disposed'];

/** The installed base: every asset with its customer, site, status and warranty (GET /v1/assets). */
export const assetsPage: Page = async (root, params) => {
  const customerId = params.get('customerId') ?? '';
  const status = params.get('status') ?? '';
  const [customerList, itemById] = await Promise.all([customers(), byId(items())]);
  const customerById = new Map(customerList.map((c) => [c.id, c]));
  const listBox = h('section', {});
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const data = new FormData(form);
        location.hash = `#/assets${qs({ customerId: String(data.get('customerId') ?? ''), status: String(data.get('status') ?? '') })}`;
      },
    },
    h(
      'label',
      {},
      'Customer',
      h(
        'select',
        { name: 'customerId' },
        h('option', { value: '' }, 'all'),
        ...customerList.map((c) => h('option', { value: c.id, selected: c.id === customerId }, c.name)),
      ),
    ),
    h(
      'label',
      {},
      'Status',
      h(
        'select',
        { name: 'status' },
        ...statuses.map((s) => h('option', { value: s, selected: s === status }, s || 'any')),
      ),
    ),
    h('button', { type: 'submit' }, 'Filter'),
  );
  replace(
    root,
    h('h1', {}, 'Assets'),
    h('p', { class: 'lead' }, 'The installed base: where each machine is, its state and warranty.'),
    form,
    truncationNote([[customerList, 'customers', 'the customer filter offers only these']]),
    listBox,
  );

  const rows: Asset[] = [];
  let cursor: string | null = null;
  const load = async () => {
    const page = await get<{ data: Asset[]; nextCursor: string | null }>(
      `/assets${qs({ customerId, status, limit: 100, cursor: cursor ?? undefined })}`,
    );
    rows.push(...page.data);
    cursor = page.nextCursor;
    replace(
      listBox,
      table(
        ['Asset', 'Item', 'Customer and site', 'Status', 'Warranty (parts / labor)', 'Meter'],
        rows,
        (a) => {
          const customer = customerById.get(a.customerId);
          const site = customer?.sites.find((s) => s.id === a.siteId);
          const item = itemById.get(a.itemId);
          return [
            h(
              'a',
              { href: `#/asset?id=${encodeURIComponent(a.id)}` },
              a.name ?? a.serialNumber,
              h('br', {}),
              h('small', {}, `S/N ${a.serialNumber}`),
            ),
            item ? `${item.name} (${item.sku})` : a.itemId,
            h(
              'span',
              {},
              customer?.name ?? a.customerId,
              h('br', {}),
              h('small', {}, site ? `${site.name}, ${site.city}` : ''),
            ),
            badge(a.status, statusTone(a.status)),
            `${a.warrantyPartsUntil ?? '—'} / ${a.warrantyLaborUntil ?? '—'}`,
            a.meter ? `${a.meter.value} h` : '—',
          ];
        },
        'No assets match.',
      ),
      cursor ? h('button', { class: 'small', onclick: () => void load() }, 'More') : null,
    );
  };
  await load();
};
