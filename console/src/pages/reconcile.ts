import { can, get, post } from '../api.js';
import { badge, h, json, replace, table } from '../dom.js';
import type { Page } from '../page.js';
import { errorBox, note, poll } from '../page.js';

interface Run {
  id: string;
  connector: string;
  entity: string;
  status: string;
  startedAt: string;
  compared: number;
  matching: number;
  differences: number;
  accuracy: number | null;
  summary: { byKind?: Record<string, number>; phase?: string };
  error: string | null;
}

/** Runs go in the background (202 + id): the page can be left and the run found again in the list. */
export const reconcilePage: Page = async (root, params) => {
  const runId = params.get('run');
  if (runId) return runPage(root, runId);
  const status = await get<{ connectors: { name: string }[] }>('/sync/status');
  const result = h('div', {});
  const connector = h(
    'select',
    { name: 'connector' },
    ...status.connectors.map((c) => h('option', { value: c.name }, c.name)),
  );
  const entity = h(
    'select',
    { name: 'entity' },
    ...['customer', 'item', 'stock', 'billing_document'].map((e) => h('option', { value: e }, e)),
  );
  const admin = can('admin');
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        post<{ id: string }>('/sync/reconciliations', { connector: connector.value, entity: entity.value })
          .then((r) => (location.hash = `#/reconcile?run=${r.id}`))
          .catch((error: unknown) => replace(result, errorBox(error)));
      },
    },
    h('label', {}, 'Connector', connector),
    h('label', {}, 'Entity', entity),
    h('button', { type: 'submit', disabled: !admin }, 'Run reconciliation'),
    admin ? null : h('span', { class: 'hint' }, 'Needs the admin scope.'),
  );
  const runs = await get<{ data: Run[] }>('/sync/reconciliations?limit=20');
  replace(
    root,
    h('h1', {}, 'Reconciliation'),
    h(
      'p',
      { class: 'lead' },
      'Compare both sides record by record and see every difference with its reason.',
    ),
    form,
    result,
    h('h2', {}, 'Recent runs'),
    table(
      ['Run', 'Connector', 'Entity', 'Status', 'Compared', 'Differences', 'Accuracy'],
      runs.data,
      (r) => [
        h('a', { href: `#/reconcile?run=${r.id}` }, new Date(r.startedAt).toLocaleString()),
        r.connector,
        r.entity,
        badge(r.status, r.status === 'completed' ? 'ok' : r.status === 'failed' ? 'bad' : 'warn'),
        String(r.compared),
        String(r.differences),
        r.accuracy === null ? '—' : `${(r.accuracy * 100).toFixed(1)} %`,
      ],
      'No runs yet.',
    ),
  );
};

async function runPage(root: HTMLElement, id: string): Promise<() => void> {
  const head = h('section', {});
  const diffs = h('section', {});
  const result = h('div', {});
  replace(
    root,
    h('p', {}, h('a', { href: '#/reconcile' }, '← all runs')),
    h('h1', {}, 'Reconciliation run'),
    head,
    result,
    diffs,
  );
  let done = false;
  const draw = async () => {
    if (done) return;
    const run = await get<Run>(`/sync/reconciliations/${id}`);
    const byKind = run.summary.byKind ?? {};
    replace(
      head,
      h(
        'p',
        { 'data-testid': 'run-status' },
        badge(run.status, run.status === 'completed' ? 'ok' : run.status === 'failed' ? 'bad' : 'warn'),
        ` ${run.connector} · ${run.entity} · phase ${run.summary.phase ?? ''}`,
      ),
      h(
        'div',
        { class: 'tiles' },
        h('div', { class: 'tile' }, h('span', {}, 'Compared'), h('strong', {}, String(run.compared))),
        h('div', { class: 'tile' }, h('span', {}, 'Matching'), h('strong', {}, String(run.matching))),
        h('div', { class: 'tile' }, h('span', {}, 'Differences'), h('strong', {}, String(run.differences))),
        h(
          'div',
          { class: 'tile' },
          h('span', {}, 'Accuracy'),
          h('strong', {}, run.accuracy === null ? '—' : `${(run.accuracy * 100).toFixed(1)} %`),
        ),
      ),
      h('p', {}, ...Object.entries(byKind).map(([k, n]) => h('span', { class: 'chip' }, `${k}: ${n}`))),
      run.error ? errorBox(run.error) : null,
    );
    if (run.status === 'running') return;
    done = true;
    const page = await get<{ data: Record<string, unknown>[] }>(
      `/sync/reconciliations/${id}/differences?limit=200`,
    );
    const admin = can('admin');
    replace(
      diffs,
      h('h2', {}, 'Differences'),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            disabled: !admin || page.data.length === 0,
            onclick: () => {
              post<Record<string, unknown>>(`/sync/reconciliations/${id}/corrections`, { apply: true })
                .then((r) => replace(result, note('Corrections posted through the normal flows.'), json(r)))
                .catch((error: unknown) => replace(result, errorBox(error)));
            },
          },
          'Post corrections where allowed',
        ),
      ),
      table(
        ['Kind', 'Key', 'Details'],
        page.data,
        (d) => [
          badge(String(d.kind ?? ''), 'warn'),
          String(d.key ?? d.localId ?? ''),
          h('details', {}, h('summary', {}, 'record'), json(d)),
        ],
        'No differences: both sides agree.',
      ),
    );
  };
  await draw();
  return poll(draw, 1000);
}
