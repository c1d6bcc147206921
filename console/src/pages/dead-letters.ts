import { can, get, post, qs } from '../api.js';
import { ago, badge, h, json, replace, table } from '../dom.js';
import type { Page } from '../page.js';
import { errorBox, note } from '../page.js';
import type { ReplayProgress } from './replays.js';
import { replayFigures, replayOutcome } from './replays.js';

interface DeadLetter {
  id: number;
  flow: string;
  eventType: string;
  subject: string;
  eventTime: string;
  attempts: number;
  errorClass: string | null;
  error: string | null;
  mappedRequest: unknown;
}
type Attempt = Record<string, unknown>;
interface DeadLetterDetail extends Omit<DeadLetter, 'attempts'> {
  event: { data?: unknown } | null;
  attempts: Attempt[];
}

const errorClasses = [
  '',
  'transient',
  'rate_limited',
  'auth',
  'not_found',
  'validation',
  'conflict',
  'cursor_invalid',
  'unclassified',
];
const ages: Record<string, number> = { '': 0, '1h': 3600, '24h': 86_400, '7d': 604_800 };

function filterFrom(params: URLSearchParams) {
  const age = ages[params.get('age') ?? ''] ?? 0;
  return {
    flow: params.get('flow') ?? '',
    entity: params.get('entity') ?? '',
    errorClass: params.get('errorClass') ?? '',
    olderThan: age ? new Date(Date.now() - age * 1000).toISOString() : '',
  };
}

export const deadLettersPage: Page = async (root, params) => {
  const filter = filterFrom(params);
  const result = h('div', { id: 'replay-result' });
  const detail = h('section', { id: 'dead-letter-detail' });
  const listBox = h('section', { 'data-testid': 'dead-letter-list' });
  const field = (name: string, label: string) =>
    h('label', {}, label, h('input', { name, value: params.get(name) ?? '', placeholder: 'any' }));
  const select = (name: string, label: string, options: string[]) =>
    h(
      'label',
      {},
      label,
      h(
        'select',
        { name },
        ...options.map((o) =>
          h('option', { value: o, selected: (params.get(name) ?? '') === o }, o || 'any'),
        ),
      ),
    );
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const data = new FormData(form);
        const q = new URLSearchParams();
        for (const [k, v] of data) if (typeof v === 'string' && v) q.set(k, v);
        location.hash = `#/dead-letters?${q.toString()}`;
      },
    },
    field('flow', 'Flow'),
    field('entity', 'Entity'),
    select('errorClass', 'Error class', errorClasses),
    select('age', 'Older than', Object.keys(ages)),
    h('button', { type: 'submit' }, 'Filter'),
  );
  replace(
    root,
    h('h1', {}, 'Dead letters ', h('a', { class: 'chip', href: '#/replays' }, 'Replays')),
    h(
      'p',
      { class: 'lead' },
      'Changes the ERP refused after every retry. Fix the cause, then replay: replay is idempotent.',
    ),
    form,
    result,
    listBox,
    detail,
  );

  /**
   * A replay answers at once with its id; its progress comes from GET /v1/sync/replays/{id}, so the
   * figures are exactly this replay's letters, and the replay goes on if the page is left (Replays).
   */
  const replay = async (body: Record<string, unknown>, label: string) => {
    replace(result, note(`Replaying ${label}…`));
    try {
      const r = await post<{ replayed: number; replayId: string | null }>('/sync/dead-letters/replay', body);
      if (r.replayId === null) {
        replace(result, note('Nothing to replay: none of these letters is dead any more.'));
        await draw();
        return;
      }
      await follow(r.replayId);
    } catch (error) {
      replace(result, errorBox(error));
    }
  };

  const follow = async (replayId: string) => {
    for (let i = 0; i < 600 && root.isConnected; i++) {
      const p = await get<ReplayProgress>(`/sync/replays/${encodeURIComponent(replayId)}`);
      // The list first: when the outcome says "done", the rows already show it.
      await draw();
      replace(
        result,
        h(
          'p',
          { class: p.finished ? (p.dead === 0 ? 'notice' : 'error') : 'hint', role: 'status' },
          replayOutcome(p),
          ' ',
          h('a', { href: `#/replays?id=${encodeURIComponent(replayId)}` }, 'follow this replay'),
        ),
        replayFigures(p),
      );
      if (p.finished) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  const showDetail = async (id: number) => {
    const d = await get<DeadLetterDetail>(`/sync/dead-letters/${id}`);
    const attempts = d.attempts;
    replace(
      detail,
      h('h2', {}, `Dead letter #${d.id}`),
      h('p', {}, `${d.flow} · ${d.eventType} · ${d.subject}`),
      h(
        'div',
        { class: 'two' },
        h('div', {}, h('h3', {}, 'Payload'), json(d.event?.data ?? d.event)),
        h('div', {}, h('h3', {}, 'Mapped request'), json(d.mappedRequest)),
      ),
      h('h3', {}, 'Attempts'),
      table(['Attempt'], attempts, (a) => [json(a)]),
    );
    detail.scrollIntoView({ block: 'start' });
  };

  /** Draws the list and returns the ids it shows. */
  const draw = async (): Promise<number[]> => {
    const page = await get<{ data: DeadLetter[] }>(`/sync/dead-letters${qs({ ...filter, limit: 200 })}`);
    const selected = new Set<number>();
    const admin = can('admin');
    const hasFilter = Object.values(filter).some(Boolean);
    // Enabled only with something ticked: the API refuses an empty list, and nothing chosen must never
    // read as "replay everything".
    const replaySelected = h(
      'button',
      {
        disabled: true,
        title: admin ? 'tick the letters to replay' : 'needs the admin scope',
        onclick: () => {
          if (selected.size > 0) void replay({ ids: [...selected] }, 'the selection');
        },
      },
      'Replay selected',
    );
    const toggle = (id: number, on: boolean) => {
      if (on) selected.add(id);
      else selected.delete(id);
      replaySelected.disabled = !admin || selected.size === 0;
      replaySelected.textContent =
        selected.size > 0 ? `Replay selected (${selected.size})` : 'Replay selected';
    };
    replace(
      listBox,
      h(
        'div',
        { class: 'actions' },
        replaySelected,
        h(
          'button',
          {
            disabled: !admin || page.data.length === 0,
            onclick: () =>
              void replay(hasFilter ? clean(filter) : { all: true }, hasFilter ? 'the filter' : 'all'),
          },
          hasFilter ? 'Replay all matching the filter' : 'Replay all',
        ),
        admin ? null : h('span', { class: 'hint' }, 'Replay needs a token with the admin scope.'),
      ),
      table(
        ['', 'Id', 'Flow', 'Event', 'Subject', 'Age', 'Attempts', 'Error', ''],
        page.data,
        (d) => [
          h('input', {
            type: 'checkbox',
            'aria-label': `select ${d.id}`,
            onchange: (e: Event) => toggle(d.id, (e.target as HTMLInputElement).checked),
          }),
          String(d.id),
          d.flow,
          d.eventType,
          d.subject,
          ago(d.eventTime),
          String(d.attempts),
          h('span', {}, d.errorClass ? badge(d.errorClass, 'bad') : null, ' ', d.error ?? ''),
          h(
            'span',
            { class: 'row-actions' },
            h('button', { class: 'link', onclick: () => void showDetail(d.id) }, 'Details'),
            h(
              'button',
              {
                class: 'small',
                disabled: !admin,
                'data-testid': `replay-${d.id}`,
                onclick: () => void replay({ ids: [d.id] }, `#${d.id}`),
              },
              'Replay',
            ),
          ),
        ],
        'No dead letters. Everything the ERP was sent, it accepted.',
      ),
    );
    return page.data.map((d) => d.id);
  };
  await draw();
};

function clean(filter: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v));
}
