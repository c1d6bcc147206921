import { get, qs } from '../api.js';
import { badge, h, replace, table } from '../dom.js';
import { addDays, dayLabel, isDay, mondayOf, statusTone, todayUtc, utcTime } from '../format.js';
import { regions } from '../names.js';
import type { Page } from '../page.js';

interface PlannedWorkOrder {
  id: string;
  number: string;
  type: string;
  status: string;
  priority: string;
  title: string;
  customerName: string;
  siteLabel: string | null;
  region: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
}
interface PlanningDay {
  date: string;
  technicians: {
    technicianId: string;
    technicianName: string | null;
    plannedMinutes: number;
    workOrders: PlannedWorkOrder[];
  }[];
}

function card(wo: PlannedWorkOrder): HTMLElement {
  return h(
    'a',
    {
      class: `wo-card ${wo.status}`,
      href: `#/work-order?id=${encodeURIComponent(wo.id)}`,
      'data-testid': `wo-${wo.number}`,
    },
    h(
      'span',
      { class: 'wo-head' },
      h('strong', {}, wo.number),
      ' ',
      h('small', {}, `${utcTime(wo.plannedStart)}–${utcTime(wo.plannedEnd)}`),
    ),
    h('span', { class: 'wo-customer' }, wo.customerName),
    h(
      'span',
      { class: 'wo-badges' },
      badge(wo.type),
      ' ',
      badge(wo.status, statusTone(wo.status)),
      wo.priority === 'urgent' ? badge('urgent', 'bad') : null,
    ),
  );
}

const hours = (minutes: number) => `${(minutes / 60).toFixed(1)} h`;

/**
 * The planning board: work orders by technician, one UTC day or a week (GET /v1/planning, once per day),
 * optionally one region. Each card opens the work order.
 */
export const planningPage: Page = async (root, params) => {
  const date = isDay(params.get('date')) ? (params.get('date') as string) : todayUtc();
  const view = params.get('view') === 'day' ? 'day' : 'week';
  const region = params.get('region') ?? '';
  const link = (p: { date?: string; view?: string; region?: string }) =>
    `#/planning${qs({ date: p.date ?? date, view: p.view ?? view, region: p.region ?? region })}`;
  const step = view === 'week' ? 7 : 1;
  const days = view === 'week' ? Array.from({ length: 7 }, (_, i) => addDays(mondayOf(date), i)) : [date];
  const known = await regions().catch(() => [] as string[]);
  const regionSelect = h(
    'select',
    {
      name: 'region',
      'aria-label': 'Region',
      onchange: (e: Event) => (location.hash = link({ region: (e.target as HTMLSelectElement).value })),
    },
    h('option', { value: '' }, 'all regions'),
    ...known.map((r) => h('option', { value: r, selected: r === region }, r)),
  );
  const dateInput = h('input', {
    type: 'date',
    name: 'date',
    value: date,
    'aria-label': 'Day',
    onchange: (e: Event) => {
      const value = (e.target as HTMLInputElement).value;
      if (isDay(value)) location.hash = link({ date: value });
    },
  });
  const board = h('section', { id: 'board' }, h('p', { class: 'empty' }, 'Loading…'));
  replace(
    root,
    h('h1', {}, 'Planning'),
    h('p', { class: 'lead' }, 'Work orders by day and technician. Times and days are UTC.'),
    h(
      'div',
      { class: 'filters' },
      h('a', { class: 'chip', href: link({ date: addDays(date, -step) }) }, '← previous'),
      h('a', { class: 'chip', href: link({ date: todayUtc() }) }, 'today'),
      h('a', { class: 'chip', href: link({ date: addDays(date, step) }) }, 'next →'),
      h('label', {}, 'Day', dateInput),
      h('label', {}, 'Region', regionSelect),
      h('a', { class: `chip ${view === 'day' ? 'active' : ''}`, href: link({ view: 'day' }) }, 'day'),
      h('a', { class: `chip ${view === 'week' ? 'active' : ''}`, href: link({ view: 'week' }) }, 'week'),
    ),
    board,
  );

  const plans = await Promise.all(days.map((d) => get<PlanningDay>(`/planning${qs({ date: d, region })}`)));
  const technicians = new Map<string, string>();
  for (const p of plans)
    for (const t of p.technicians) technicians.set(t.technicianId, t.technicianName ?? 'not assigned');
  const rows = [...technicians.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const cell = (p: PlanningDay, technicianId: string) => {
    const t = p.technicians.find((x) => x.technicianId === technicianId);
    if (!t || t.workOrders.length === 0) return h('span', { class: 'hint' }, '—');
    return h(
      'div',
      { class: 'wo-cell' },
      h('small', { class: 'hint' }, hours(t.plannedMinutes)),
      ...t.workOrders.map(card),
    );
  };
  const total = plans.reduce((n, p) => n + p.technicians.reduce((m, t) => m + t.workOrders.length, 0), 0);
  replace(
    board,
    h(
      'p',
      { class: 'hint', 'data-testid': 'planning-count' },
      `${total} work order(s) ${view === 'week' ? `in the week of ${dayLabel(days[0]!)}` : `on ${dayLabel(date)}`}${region ? ` in ${region}` : ''}`,
    ),
    table(
      ['Technician', ...days.map((d) => dayLabel(d))],
      rows,
      ([id, name]) => [h('strong', {}, name), ...plans.map((p) => cell(p, id))],
      'Nothing planned in this period.',
    ),
  );
  board.querySelector('table')?.classList.add('board');
};
