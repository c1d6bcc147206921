import { get } from '../api.js';
import { badge, h, table } from '../dom.js';
import { when } from '../format.js';

/** The execution parts of a work order's detail page: labor, parts, checklist and signature. */

export interface WorkOrderDetail {
  id: string;
  number: string;
  type: string;
  status: string;
  priority: string;
  title: string;
  description: string | null;
  customerName: string;
  siteLabel: string | null;
  region: string | null;
  assets: { assetId: string; label: string }[];
  contractId: string | null;
  reportedAt: string;
  sla: { responseDueAt: string | null; resolutionDueAt: string | null } | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  technicianName: string | null;
  checklist: {
    items: {
      key: string;
      label: string;
      kind: string;
      required: boolean;
      min?: number;
      max?: number;
      unit?: string;
    }[];
  } | null;
  answers: { key: string; value: string | number; answeredAt: string }[];
  labor: {
    id: string;
    technicianName: string;
    laborType: string;
    startedAt: string | null;
    endedAt: string | null;
    durationMinutes: number;
    billable: boolean;
    note: string | null;
  }[];
  parts: {
    id: string;
    sku: string;
    name: string;
    unit: string;
    quantity: string;
    serials: string[];
    warehouseId: string;
  }[];
  signature: { signerName: string; signedAt: string; reportHash: string } | null;
  startedAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  reportHash: string | null;
  revision: number;
}

export function laborSection(wo: WorkOrderDetail): HTMLElement {
  const total = wo.labor.reduce((n, l) => n + l.durationMinutes, 0);
  return h(
    'section',
    {},
    h('h2', {}, `Labor (${total} min)`),
    table(
      ['Technician', 'Type', 'Time', 'Minutes', 'Billable', 'Note'],
      wo.labor,
      (l) => [
        l.technicianName,
        l.laborType,
        l.startedAt ? `${when(l.startedAt)} – ${when(l.endedAt)}` : '—',
        String(l.durationMinutes),
        l.billable ? 'yes' : badge('no', 'warn'),
        l.note ?? '',
      ],
      'No labor recorded.',
    ),
  );
}

export function partsSection(wo: WorkOrderDetail, warehouseName: (id: string) => string): HTMLElement {
  return h(
    'section',
    {},
    h('h2', {}, 'Parts'),
    table(
      ['SKU', 'Part', 'Quantity', 'Serials', 'From'],
      wo.parts,
      (p) => [
        h('code', {}, p.sku),
        p.name,
        `${p.quantity} ${p.unit}`,
        p.serials.join(', ') || '—',
        warehouseName(p.warehouseId),
      ],
      'No parts used.',
    ),
  );
}

export function checklistSection(wo: WorkOrderDetail): HTMLElement {
  const answers = new Map(wo.answers.map((a) => [a.key, a]));
  const items = wo.checklist?.items ?? [];
  return h(
    'section',
    {},
    h('h2', {}, 'Checklist'),
    table(
      ['Item', 'Answer', 'Expected'],
      items,
      (item) => {
        const a = answers.get(item.key);
        const range =
          item.min !== undefined || item.max !== undefined
            ? `${item.min ?? ''}–${item.max ?? ''} ${item.unit ?? ''}`
            : '';
        return [
          h('span', {}, item.label, item.required ? h('small', { class: 'hint' }, ' (required)') : null),
          a === undefined
            ? badge(item.required ? 'missing' : 'not answered', item.required ? 'bad' : 'info')
            : h('strong', {}, `${String(a.value)}${item.unit ? ` ${item.unit}` : ''}`),
          range || item.kind,
        ];
      },
      'No checklist on this work order.',
    ),
  );
}

interface Signature {
  signerName: string;
  signedAt: string;
  imagePngBase64: string;
}
interface Report {
  signature: { matchesReport: boolean } | null;
}

/** The signature image comes from its own route; whether it still covers the report, from the report's hash. */
export async function signatureSection(wo: WorkOrderDetail): Promise<HTMLElement> {
  const box = h('section', {}, h('h2', {}, 'Signature'));
  if (!wo.signature) {
    box.appendChild(h('p', { class: 'empty' }, 'Not signed yet.'));
    return box;
  }
  const [signature, report] = await Promise.all([
    get<Signature>(`/work-orders/${encodeURIComponent(wo.id)}/signature`),
    get<Report>(`/work-orders/${encodeURIComponent(wo.id)}/report`),
  ]);
  const matches = report.signature?.matchesReport ?? false;
  box.appendChild(
    h(
      'div',
      { class: 'signature', 'data-testid': 'signature' },
      h('img', {
        src: `data:image/png;base64,${signature.imagePngBase64}`,
        alt: `Signature of ${signature.signerName}`,
      }),
      h(
        'p',
        {},
        h('strong', {}, signature.signerName),
        ` signed ${when(signature.signedAt)} `,
        matches ? badge('covers the current report', 'ok') : badge('report changed since signing', 'bad'),
        h('br', {}),
        h('small', { class: 'hint' }, `report SHA-256 ${wo.signature.reportHash.slice(0, 16)}…`),
      ),
    ),
  );
  return box;
}
