import { get } from '../api.js';
import type { BillingDocument } from '../components/billing-document.js';
import { billingDocument } from '../components/billing-document.js';
import { syncHistory } from '../components/sync-history.js';
import { badge, h, replace } from '../dom.js';
import { statusTone, utcTime, when } from '../format.js';
import { byId, warehouses } from '../names.js';
import type { Page } from '../page.js';
import { errorBox } from '../page.js';
import type { WorkOrderDetail } from './work-order-sections.js';
import { checklistSection, laborSection, partsSection, signatureSection } from './work-order-sections.js';

function facts(pairs: [string, unknown][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    ...pairs
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v instanceof Node ? v : String(v))]),
  );
}

/**
 * One work order: what was planned, what was done (labor, parts, checklist, signature), what it was billed
 * and why (its billing documents with the explained lines), and how each change reached the ERP.
 */
export const workOrderPage: Page = async (root, params) => {
  const id = params.get('id') ?? '';
  const wo = await get<WorkOrderDetail>(`/work-orders/${encodeURIComponent(id)}`);
  const [docs, whs] = await Promise.all([
    get<{ data: BillingDocument[] }>(`/billing/documents?workOrderId=${encodeURIComponent(wo.id)}&limit=20`),
    byId(warehouses()).catch(() => new Map<string, { code: string; name: string }>()),
  ]);
  const warehouseName = (wid: string) => {
    const w = whs.get(wid);
    return w ? `${w.name} (${w.code})` : wid;
  };
  const day = (wo.plannedStart ?? wo.reportedAt).slice(0, 10);
  const billing = h(
    'section',
    {},
    h('h2', {}, 'Billing'),
    ...(docs.data.length > 0
      ? docs.data.map(billingDocument)
      : [
          h(
            'p',
            { class: 'empty' },
            wo.status === 'completed' || wo.status === 'closed'
              ? 'Not billed yet.'
              : 'Billed once completed.',
          ),
        ]),
  );
  const signature = h('section', {});
  replace(
    root,
    h('p', {}, h('a', { href: `#/planning?date=${day}&view=day` }, `← planning of ${day}`)),
    h(
      'h1',
      {},
      `${wo.number} `,
      badge(wo.status, statusTone(wo.status)),
      ' ',
      badge(wo.type),
      wo.priority === 'urgent' ? badge('urgent', 'bad') : null,
    ),
    h('p', { class: 'lead' }, wo.title),
    facts([
      ['Customer', wo.customerName],
      ['Site', wo.siteLabel],
      ['Region', wo.region],
      [
        'Assets',
        h(
          'span',
          {},
          ...wo.assets.map((a) =>
            h('a', { href: `#/asset?id=${encodeURIComponent(a.assetId)}`, class: 'chip' }, a.label),
          ),
        ),
      ],
      ['Technician', wo.technicianName],
      [
        'Planned (UTC)',
        wo.plannedStart
          ? `${wo.plannedStart.slice(0, 10)} ${utcTime(wo.plannedStart)}–${utcTime(wo.plannedEnd)}`
          : null,
      ],
      ['Reported', when(wo.reportedAt)],
      ['Resolution due', wo.sla?.resolutionDueAt ? when(wo.sla.resolutionDueAt) : null],
      ['Started', wo.startedAt ? when(wo.startedAt) : null],
      ['Completed', wo.completedAt ? when(wo.completedAt) : null],
      ['Cancelled', wo.cancelledAt ? `${when(wo.cancelledAt)}: ${wo.cancelReason ?? ''}` : null],
      ['Revision', wo.revision > 0 ? String(wo.revision) : null],
      ['Description', wo.description],
    ]),
    h(
      'div',
      { class: 'two' },
      h('div', {}, laborSection(wo), partsSection(wo, warehouseName)),
      h('div', {}, checklistSection(wo), signature),
    ),
    billing,
    h(
      'section',
      {},
      h('h2', {}, 'Sync history'),
      h(
        'p',
        { class: 'hint' },
        'Each change of this work order and of its billing documents, and how it reached the ERP.',
      ),
      syncHistory(`work_order/${wo.id}`, `Work order ${wo.number}`),
      ...docs.data.map((d) => syncHistory(`billing_document/${d.id}`, `Billing document ${d.number}`)),
    ),
  );
  await signatureSection(wo)
    .then((s) => signature.replaceWith(s))
    .catch((error: unknown) => signature.appendChild(errorBox(error)));
};
