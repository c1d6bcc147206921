import type { ServiceReport } from './service-report.js';

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every value that reaches the page goes through here: customer text must never become markup. */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

export interface HtmlSignature {
  signerName: string;
  signedAt: string;
  reportHash: string;
  imagePngBase64: string;
}

export interface HtmlReportContext {
  report: ServiceReport;
  status: string;
  completedAt: string | null;
  signature: HtmlSignature | null;
}

const row = (cells: unknown[]) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
const head = (cells: string[]) => `<tr>${cells.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;

function section(title: string, headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return `<h2>${escapeHtml(title)}</h2><p class="none">None.</p>`;
  return `<h2>${escapeHtml(title)}</h2><table><thead>${head(headers)}</thead><tbody>${rows.map(row).join('')}</tbody></table>`;
}

function checklistValue(kind: string, value: string | number | null): string {
  if (value === null) return '—';
  if (kind === 'pass_fail') return value === 'pass' ? 'PASS' : 'FAIL';
  return String(value);
}

/**
 * A self-contained printable page (A4, no external assets, no scripts). The signature image is the
 * validated PNG as a data: URL; its base64 alphabet cannot break out of the attribute.
 */
export function renderReportPage(context: HtmlReportContext): string {
  const { content: r, hash } = context.report;
  const wo = r.workOrder;
  const signature = context.signature;
  const signatureBlock = signature
    ? `<div class="signature"><img alt="Customer signature" src="data:image/png;base64,${escapeHtml(signature.imagePngBase64)}">` +
      `<p>Signed by ${escapeHtml(signature.signerName)} at ${escapeHtml(signature.signedAt)}</p>` +
      `<p class="hash">Signed report hash ${escapeHtml(signature.reportHash)}${signature.reportHash === hash ? '' : ' (differs from this report: signed an earlier revision)'}</p></div>`
    : '<div class="signature"><p>Not signed.</p></div>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service report ${escapeHtml(wo.number)}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font: 11pt/1.4 system-ui, sans-serif; color: #111; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 4mm; } h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; }
table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: 1mm 2mm; border-bottom: 1px solid #ddd; vertical-align: top; }
dl { display: grid; grid-template-columns: 40mm 1fr; gap: 1mm 4mm; margin: 0; } dt { font-weight: 600; }
.signature img { max-width: 80mm; max-height: 30mm; border: 1px solid #ccc; } .hash { font-family: monospace; font-size: 8pt; word-break: break-all; }
.none { color: #666; } tr { page-break-inside: avoid; }
</style></head>
<body>
<h1>Service report ${escapeHtml(wo.number)}${wo.revision > 0 ? ` (revision ${escapeHtml(wo.revision)})` : ''}</h1>
<dl>
<dt>Title</dt><dd>${escapeHtml(wo.title)}</dd>
<dt>Type / priority</dt><dd>${escapeHtml(wo.type)} / ${escapeHtml(wo.priority)}</dd>
<dt>Customer</dt><dd>${escapeHtml(r.customer.name)}</dd>
<dt>Site</dt><dd>${escapeHtml(r.site?.label ?? '—')}</dd>
<dt>Assets</dt><dd>${r.assets.length > 0 ? r.assets.map((a) => escapeHtml(a.label)).join('<br>') : '—'}</dd>
<dt>Technician</dt><dd>${escapeHtml(r.technician?.name ?? '—')}</dd>
<dt>Reported</dt><dd>${escapeHtml(wo.reportedAt)}</dd>
<dt>Started</dt><dd>${escapeHtml(wo.startedAt ?? '—')}</dd>
<dt>Status</dt><dd>${escapeHtml(context.status)}${context.completedAt ? ` at ${escapeHtml(context.completedAt)}` : ''}</dd>
<dt>Description</dt><dd>${escapeHtml(wo.description ?? '—')}</dd>
</dl>
${section(
  'Labor',
  ['Technician', 'Type', 'Start', 'End', 'Minutes', 'Billable', 'Note'],
  r.labor.map((l) => [
    l.technicianName,
    l.laborType,
    l.startedAt ?? '',
    l.endedAt ?? '',
    l.durationMinutes,
    l.billable ? 'yes' : 'no',
    l.note ?? '',
  ]),
)}
<p>Total ${escapeHtml(r.totals.laborMinutes)} min, of which billable ${escapeHtml(r.totals.billableMinutes)} min.</p>
${section(
  'Parts',
  ['SKU', 'Name', 'Quantity', 'Unit', 'Serials'],
  r.parts.map((p) => [p.sku, p.name, p.quantity, p.unit, p.serials.join(', ')]),
)}
${section(
  'Checklist',
  ['Item', 'Answer', 'Limits'],
  r.checklist.map((c) => [
    `${c.label}${c.required ? ' *' : ''}`,
    checklistValue(c.kind, c.value),
    c.kind === 'number' ? `${c.min ?? ''} … ${c.max ?? ''} ${c.unit ?? ''}`.trim() : '',
  ]),
)}
<h2>Signature</h2>
${signatureBlock}
<p class="hash">Report SHA-256 ${escapeHtml(hash)}</p>
</body></html>
`;
}
