import { can, get, qs, upload } from '../api.js';
import { badge, h, replace, table } from '../dom.js';
import { statusTone, when } from '../format.js';
import type { Page } from '../page.js';
import { errorBox, poll } from '../page.js';

export interface ImportJob {
  id: string;
  fileName: string;
  kind: string;
  format: string;
  bytes: number;
  requestedBy: string;
  status: string;
  rowsRead: number;
  applied: number;
  rejected: number;
  /** Rejected rows stored and listed (the first 10,000); 0 once pruned. */
  rejectsKept: number;
  prunedAt: string | null;
  encoding: string | null;
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  updatedAt: string;
  finishedAt: string | null;
}

export const finalStatuses = ['completed', 'duplicate', 'refused', 'failed'];
const kinds = ['', 'customers', 'items', 'stock-levels', 'price-lists', 'purchase-receipts'];

/**
 * Upload a file (POST /v1/imports) and see recent imports. The upload answers as soon as the file is
 * stored; the import runs in the hub, so this page can be left and the import found again here.
 */
export const importsPage: Page = async (root) => {
  const writer = can('write');
  const result = h('div', {});
  const listBox = h('section', {});
  const fileInput = h('input', {
    type: 'file',
    name: 'file',
    required: true,
    accept: '.csv,.tsv,.txt,.jsonl,.ndjson,.xml',
  });
  const kindSelect = h(
    'select',
    { name: 'kind' },
    ...kinds.map((k) => h('option', { value: k }, k || 'from the file name')),
  );
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const file = fileInput.files?.[0];
        if (!file) return;
        replace(result, h('p', { class: 'notice', role: 'status' }, `Uploading ${file.name}…`));
        upload<ImportJob>(`/imports${qs({ fileName: file.name, kind: kindSelect.value })}`, file)
          .then((job) => (location.hash = `#/import?id=${encodeURIComponent(job.id)}`))
          .catch((error: unknown) => replace(result, errorBox(error)));
      },
    },
    h('label', {}, 'File', fileInput),
    h('label', {}, 'Holds', kindSelect),
    h('button', { type: 'submit', disabled: !writer }, 'Import'),
    writer ? null : h('span', { class: 'hint' }, 'Importing needs a token with the write scope.'),
  );
  replace(
    root,
    h('h1', {}, 'Imports'),
    h(
      'p',
      { class: 'lead' },
      'Customers, items, stock levels, price lists or purchase receipts as CSV, JSON Lines or XML — the same files the inbox folder takes. Good rows are applied, bad rows listed with their line and reason.',
    ),
    form,
    result,
    h('h2', {}, 'Recent imports'),
    listBox,
  );
  const draw = async () => {
    const page = await get<{ data: ImportJob[] }>('/imports?limit=20');
    replace(
      listBox,
      table(
        ['File', 'Holds', 'Status', 'Rows read', 'Applied', 'Rejected', 'Uploaded'],
        page.data,
        (j) => [
          h('a', { href: `#/import?id=${encodeURIComponent(j.id)}` }, j.fileName),
          j.kind,
          badge(j.status, statusTone(j.status)),
          String(j.rowsRead),
          String(j.applied),
          j.rejected > 0 ? badge(String(j.rejected), 'bad') : '0',
          when(j.createdAt),
        ],
        'No imports yet.',
      ),
    );
  };
  await draw();
  return poll(draw, 2000);
};
