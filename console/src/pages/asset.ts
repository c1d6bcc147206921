import { get } from '../api.js';
import { syncHistory } from '../components/sync-history.js';
import { badge, h, replace, table } from '../dom.js';
import { statusTone, when } from '../format.js';
import { byId, customers, items } from '../names.js';
import type { Page } from '../page.js';
import type { Asset } from './assets.js';

type Place = { customerId: string; siteId: string; costCenter: string | null };
type HistoryEntry =
  | {
      kind: 'status_change';
      at: string;
      statusChange: { fromStatus: string | null; toStatus: string; reason: string | null };
    }
  | { kind: 'move'; at: string; move: { from: Place; to: Place; reason: string } }
  | { kind: 'meter_reading'; at: string; reading: { value: string; source: string; meterReplaced: boolean } };

interface WorkOrderRow {
  id: string;
  number: string;
  type: string;
  status: string;
  title: string;
  completedAt: string | null;
  plannedStart: string | null;
}

/** One asset: facts, warranty today, its history (GET /v1/assets/{id}/history), its work orders, its sync history. */
export const assetPage: Page = async (root, params) => {
  const id = encodeURIComponent(params.get('id') ?? '');
  const [asset, history, warranty, workOrders, customerList, itemById] = await Promise.all([
    get<Asset>(`/assets/${id}`),
    get<{ entries: HistoryEntry[] }>(`/assets/${id}/history`),
    get<{ partsCovered: boolean; laborCovered: boolean }>(`/assets/${id}/warranty`),
    get<{ data: WorkOrderRow[] }>(`/work-orders?assetId=${id}&limit=100`),
    customers(),
    byId(items()),
  ]);
  const customerById = new Map(customerList.map((c) => [c.id, c]));
  const place = (p: Place) => {
    const c = customerById.get(p.customerId);
    const s = c?.sites.find((x) => x.id === p.siteId);
    return `${c?.name ?? p.customerId}, ${s ? `${s.name} (${s.city})` : p.siteId}${p.costCenter ? `, ${p.costCenter}` : ''}`;
  };
  const item = itemById.get(asset.itemId);
  const describe = (e: HistoryEntry): [string, string] => {
    if (e.kind === 'status_change')
      return [
        'status',
        `${e.statusChange.fromStatus ?? 'new'} → ${e.statusChange.toStatus}${e.statusChange.reason ? `: ${e.statusChange.reason}` : ''}`,
      ];
    if (e.kind === 'move') return ['moved', `${place(e.move.from)} → ${place(e.move.to)}: ${e.move.reason}`];
    return [
      'meter',
      `${e.reading.value} h (${e.reading.source})${e.reading.meterReplaced ? ', meter replaced' : ''}`,
    ];
  };
  replace(
    root,
    h('p', {}, h('a', { href: '#/assets' }, '← all assets')),
    h('h1', {}, `${asset.name ?? asset.serialNumber} `, badge(asset.status, statusTone(asset.status))),
    h(
      'dl',
      { class: 'facts' },
      ...[
        ['Serial number', asset.serialNumber],
        ['Item', item ? `${item.name} (${item.sku})` : asset.itemId],
        ['Where', place(asset)],
        ['Installed', asset.installDate ?? '—'],
        [
          'Parts warranty',
          `${asset.warrantyPartsUntil ?? '—'} ${warranty.partsCovered ? '(covered today)' : '(not covered today)'}`,
        ],
        [
          'Labor warranty',
          `${asset.warrantyLaborUntil ?? '—'} ${warranty.laborCovered ? '(covered today)' : '(not covered today)'}`,
        ],
        ['Meter', asset.meter ? `${asset.meter.value} h on ${when(asset.meter.readingAt)}` : '—'],
      ].flatMap(([k, v]) => [h('dt', {}, k!), h('dd', {}, v!)]),
    ),
    h('h2', {}, 'History'),
    table(
      ['When', 'What', 'Details'],
      history.entries,
      (e) => {
        const [what, details] = describe(e);
        return [e.at.length > 10 ? when(e.at) : e.at, badge(what), details];
      },
      'No history yet.',
    ),
    h('h2', {}, 'Work orders'),
    table(
      ['Work order', 'Type', 'Status', 'Title', 'Planned / completed'],
      workOrders.data,
      (w) => [
        h('a', { href: `#/work-order?id=${encodeURIComponent(w.id)}` }, w.number),
        w.type,
        badge(w.status, statusTone(w.status)),
        w.title,
        when(w.completedAt ?? w.plannedStart),
      ],
      'No work orders on this asset.',
    ),
    h('h2', {}, 'Sync history'),
    syncHistory(`asset/${asset.id}`, `Asset ${asset.serialNumber}`),
  );
};
