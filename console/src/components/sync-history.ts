import { get, qs } from '../api.js';
import { badge, h, replace, table } from '../dom.js';
import { statusTone, when } from '../format.js';
import { errorBox } from '../page.js';

interface Attempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  outcome: string;
  errorClass: string | null;
  errorMessage: string | null;
}
interface Delivery {
  id: number;
  flow: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  errorClass: string | null;
  error: string | null;
  attemptLog: Attempt[];
}
interface RecordHistory {
  subject: string;
  links: { connector: string; entity: string; externalId: string }[];
  events: {
    id: string;
    type: string;
    sequence: number;
    time: string;
    deliveries: Delivery[];
    notSent: 'no_flow' | 'history_pruned' | 'before_subscription' | null;
  }[];
  nextBeforeSequence: number | null;
  historyDays: number | null;
}

function deliveryCell(d: Delivery): HTMLElement {
  const log = d.attemptLog.map(
    (a) =>
      `#${a.attempt} ${when(a.startedAt)} ${a.outcome} (${a.durationMs} ms)${a.errorClass ? ` ${a.errorClass}: ${a.errorMessage ?? ''}` : ''}`,
  );
  return h(
    'div',
    { class: 'delivery', 'data-testid': `delivery-${d.flow}` },
    h('strong', {}, d.flow),
    ' ',
    badge(d.status, statusTone(d.status)),
    d.deliveredAt ? h('small', {}, ` ${when(d.deliveredAt)}`) : null,
    d.error ? h('div', { class: 'small-error' }, `${d.errorClass ?? ''}: ${d.error}`) : null,
    d.status === 'dead'
      ? h('a', { href: `#/dead-letters?flow=${encodeURIComponent(d.flow)}` }, ' → dead letters')
      : null,
    log.length > 0
      ? h(
          'details',
          {},
          h('summary', {}, `${log.length} attempt(s)`),
          h('ul', { class: 'plain' }, ...log.map((l) => h('li', {}, l))),
        )
      : null,
  );
}

/** Why an event shows no delivery, in words; null when it has deliveries to show. */
function notSentNote(
  reason: RecordHistory['events'][number]['notSent'],
  days: number | null,
): HTMLElement | null {
  switch (reason) {
    case 'no_flow':
      return h('span', { class: 'hint' }, 'stays in Fieldsync (no flow takes it)');
    case 'history_pruned':
      return h(
        'span',
        { class: 'hint' },
        `delivery history pruned after ${days ?? '?'} days (delivered rows are kept that long)`,
      );
    case 'before_subscription':
      return h('span', { class: 'hint' }, 'not sent: recorded before the flow that takes it was started');
    default:
      return null;
  }
}

/**
 * A record's sync history (GET /v1/sync/history): every event, whether a flow took it, and how each
 * delivery went, attempt by attempt. "Stays in Fieldsync" marks events no flow sends anywhere.
 */
export function syncHistory(subject: string, title: string): HTMLElement {
  const box = h(
    'section',
    { class: 'sync-history', 'data-subject': subject },
    h('h3', {}, title),
    h('p', { class: 'empty' }, 'Loading…'),
  );
  let before: number | null = null;
  const rows: RecordHistory['events'] = [];
  const load = async () => {
    const page = await get<RecordHistory>(
      `/sync/history${qs({ subject, limit: 50, beforeSequence: before ?? undefined })}`,
    );
    rows.push(...page.events);
    before = page.nextBeforeSequence;
    replace(
      box,
      h('h3', {}, title),
      page.links.length > 0
        ? h(
            'p',
            { class: 'hint' },
            'In the ERP: ',
            ...page.links.map((l) =>
              h('code', { class: 'chip' }, `${l.connector} ${l.entity} ${l.externalId}`),
            ),
          )
        : null,
      table(
        ['Event', 'When', 'Deliveries'],
        rows,
        (e) => [
          h('span', {}, h('code', {}, e.type), h('small', {}, ` #${e.sequence}`)),
          when(e.time),
          notSentNote(e.notSent, page.historyDays) ?? h('div', {}, ...e.deliveries.map(deliveryCell)),
        ],
        'No events yet for this record.',
      ),
      before !== null ? h('button', { class: 'small', onclick: () => void load() }, 'Older events') : null,
    );
  };
  load().catch((error: unknown) => replace(box, h('h3', {}, title), errorBox(error)));
  return box;
}
