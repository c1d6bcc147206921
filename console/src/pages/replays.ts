import { get } from '../api.js';
import { progressBar } from '../components/progress.js';
import { badge, h, replace, table } from '../dom.js';
import { when } from '../format.js';
import type { Page } from '../page.js';
import { poll } from '../page.js';

export interface ReplayProgress {
  id: string;
  requestedBy: string;
  selector: Record<string, unknown>;
  createdAt: string;
  total: number;
  delivered: number;
  pending: number;
  dead: number;
  finished: boolean;
  finishedAt: string | null;
  stillDead: {
    id: number;
    flow: string;
    eventType: string;
    subject: string;
    errorClass: string | null;
    error: string | null;
  }[];
}

const selectorText = (s: Record<string, unknown>) =>
  s.all === true && Object.keys(s).length === 1
    ? 'all'
    : Object.entries(s)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
        .join(' ');

export function replayFigures(r: ReplayProgress): HTMLElement {
  return progressBar(
    [
      { label: 'Delivered', value: r.delivered, tone: 'ok' },
      { label: 'Pending', value: r.pending, tone: 'warn' },
      { label: 'Dead again', value: r.dead, tone: 'bad' },
    ],
    r.total,
    'replay-progress',
  );
}

/** The outcome sentence shared by this page and the dead-letter page's inline view. */
export function replayOutcome(r: ReplayProgress): string {
  if (!r.finished)
    return `Replaying ${r.total}: ${r.delivered} delivered, ${r.pending} pending, ${r.dead} dead again…`;
  return r.dead === 0
    ? `Replay done: all ${r.total} delivered.`
    : `Replay done: ${r.delivered} delivered, ${r.dead} still dead (see their latest error).`;
}

/** Bulk replays (GET /v1/sync/replays): each one's progress, live while it runs, for as long as anyone looks. */
export const replaysPage: Page = async (root, params) => {
  const id = params.get('id');
  if (id) return replayPage(root, id);
  const listBox = h('section', {});
  replace(
    root,
    h('p', {}, h('a', { href: '#/dead-letters' }, '← dead letters')),
    h('h1', {}, 'Replays'),
    h(
      'p',
      { class: 'lead' },
      'Every replay of dead letters and how far its letters got. A replay runs in the hub: leave and come back at any time.',
    ),
    listBox,
  );
  /** Redraws the list; polling stops once every replay shown has finished (their figures are final). */
  const draw = async (): Promise<boolean> => {
    const page = await get<{ data: ReplayProgress[] }>('/sync/replays?limit=20');
    const running = page.data.filter((r) => !r.finished).length;
    replace(
      listBox,
      h(
        'p',
        { class: 'hint', 'data-testid': 'replays-live' },
        running > 0
          ? `${running} replay(s) running: this list refreshes every 2 s.`
          : 'Every replay shown has finished; reload to see one started since.',
      ),
      table(
        ['Started', 'By', 'Selection', 'Total', 'Delivered', 'Pending', 'Dead again'],
        page.data,
        (r) => [
          h('a', { href: `#/replays?id=${encodeURIComponent(r.id)}` }, when(r.createdAt)),
          r.requestedBy,
          selectorText(r.selector),
          String(r.total),
          String(r.delivered),
          r.pending > 0 ? badge(String(r.pending), 'warn') : '0',
          r.dead > 0 ? badge(String(r.dead), 'bad') : '0',
        ],
        'No replays yet.',
      ),
    );
    return running > 0;
  };
  return (await draw()) ? poll(draw, 2000) : undefined;
};

async function replayPage(root: HTMLElement, id: string): Promise<(() => void) | undefined> {
  const box = h('section', {});
  replace(root, h('p', {}, h('a', { href: '#/replays' }, '← all replays')), h('h1', {}, 'Replay'), box);
  /** Redraws the replay; polling stops once it has finished (its figures are final from then on). */
  const draw = async (): Promise<boolean> => {
    const r = await get<ReplayProgress>(`/sync/replays/${encodeURIComponent(id)}`);
    replace(
      box,
      h(
        'p',
        { class: 'hint' },
        `${when(r.createdAt)} by ${r.requestedBy} · selection: ${selectorText(r.selector)}`,
      ),
      h(
        'p',
        {
          role: 'status',
          class: r.finished ? (r.dead === 0 ? 'notice' : 'error') : 'hint',
          'data-testid': 'replay-outcome',
        },
        replayOutcome(r),
      ),
      replayFigures(r),
      r.stillDead.length > 0
        ? h(
            'div',
            {},
            h('h2', {}, 'Dead again'),
            table(['Id', 'Flow', 'Event', 'Subject', 'Error'], r.stillDead, (d) => [
              String(d.id),
              h('a', { href: `#/dead-letters?flow=${encodeURIComponent(d.flow)}` }, d.flow),
              d.eventType,
              d.subject,
              h('span', {}, d.errorClass ? badge(d.errorClass, 'bad') : null, ' ', d.error ?? ''),
            ]),
          )
        : null,
    );
    return !r.finished;
  };
  return (await draw()) ? poll(draw, 1000) : undefined;
}
