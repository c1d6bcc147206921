import { get, qs } from '../api.js';
import { lineChart } from '../chart.js';
import type { Point } from '../chart.js';
import { ago, badge, duration, h, replace, table } from '../dom.js';
import type { Page } from '../page.js';
import { errorBox, poll } from '../page.js';

interface FlowStatus {
  name: string;
  direction: string;
  connector: string;
  enabled: boolean;
  pending: number;
  inFlight: number;
  dead: number;
  oldestPendingAt: string | null;
  lagSeconds: number;
}
interface SyncStatus {
  engine: string;
  flows: FlowStatus[];
  connectors: { name: string; type: string; circuit: string; consecutiveFailures: number }[];
}
interface Pull {
  flow: string;
  lastSuccessAt?: string | null;
  lastRunAt?: string | null;
}
interface Series {
  points: Point[];
}

const ranges = {
  '6h': { hours: 6, bucket: 300 },
  '24h': { hours: 24, bucket: 1800 },
  '7d': { hours: 168, bucket: 3600 * 3 },
  '30d': { hours: 720, bucket: 43_200 },
} as const;
type Range = keyof typeof ranges;

const charts: { name: string; title: string; format: (v: number) => string }[] = [
  { name: 'inventory_accuracy', title: 'Inventory accuracy', format: (v) => `${(v * 100).toFixed(1)} %` },
  { name: 'delivery_latency_p95_seconds', title: 'Sync latency p95', format: (v) => duration(v) },
  { name: 'error_rate', title: 'Error rate', format: (v) => `${(v * 100).toFixed(1)} %` },
  { name: 'dead_letters', title: 'Dead letters', format: (v) => String(Math.round(v)) },
  { name: 'backlog', title: 'Backlog', format: (v) => String(Math.round(v)) },
];

async function series(name: string, range: Range, scope?: string): Promise<Point[]> {
  const { hours, bucket } = ranges[range];
  const to = new Date();
  const from = new Date(to.getTime() - hours * 3600_000);
  const s = await get<Series>(
    `/sync/kpis${qs({ name, scope, from: from.toISOString(), to: to.toISOString(), bucketSeconds: bucket })}`,
  );
  return s.points;
}

const latest = (points: Point[]) => [...points].reverse().find((p) => p.value !== null)?.value ?? null;

/** Per-flow KPI figures the status endpoint does not carry: latency percentiles and error rate (last hour). */
async function flowFigures(flow: string) {
  const scope = `flow:${flow}`;
  const [p50, p95, err] = await Promise.all(
    ['delivery_latency_p50_seconds', 'delivery_latency_p95_seconds', 'error_rate'].map((n) =>
      series(n, '6h', scope).then(latest, () => null),
    ),
  );
  return { p50, p95, err };
}

function circuitTone(state: string) {
  return state === 'closed' ? 'ok' : state === 'open' ? 'bad' : 'warn';
}

export const healthPage: Page = async (root, params) => {
  const range: Range = (params.get('range') as Range | null) ?? '24h';
  const statusBox = h('section', { id: 'status' });
  const chartBox = h('section', { class: 'charts' });
  replace(
    root,
    h('h1', {}, 'Sync health'),
    h(
      'p',
      { class: 'lead' },
      'Is the ERP in step? Backlog and delay per flow, connector circuits, and the KPIs over time.',
    ),
    statusBox,
    h(
      'h2',
      {},
      'KPIs over time ',
      ...Object.keys(ranges).map((r) =>
        h('a', { href: `#/health?range=${r}`, class: `chip ${r === range ? 'active' : ''}` }, r),
      ),
    ),
    chartBox,
  );

  const drawStatus = async () => {
    const [status, pulls] = await Promise.all([
      get<SyncStatus>('/sync/status'),
      get<{ data: Pull[] }>('/sync/pulls').catch(() => ({ data: [] as Pull[] })),
    ]);
    const figures = await Promise.all(status.flows.map((f) => flowFigures(f.name)));
    const pullByName = new Map(pulls.data.map((p) => [p.flow, p]));
    const backlog = status.flows.reduce((n, f) => n + f.pending + f.inFlight, 0);
    const dead = status.flows.reduce((n, f) => n + f.dead, 0);
    replace(
      statusBox,
      h(
        'div',
        { class: 'tiles' },
        h('div', { class: 'tile' }, h('span', {}, 'Engine'), h('strong', {}, status.engine)),
        h(
          'div',
          { class: 'tile' },
          h('span', {}, 'Backlog'),
          h('strong', { 'data-testid': 'total-backlog' }, String(backlog)),
        ),
        h(
          'div',
          { class: `tile ${dead > 0 ? 'bad' : ''}` },
          h('span', {}, 'Dead letters'),
          h('a', { href: '#/dead-letters' }, h('strong', { 'data-testid': 'total-dead' }, String(dead))),
        ),
      ),
      h('h2', {}, 'Flows'),
      table(
        [
          'Flow',
          'Connector',
          'Backlog',
          'Oldest pending',
          'Latency p50 / p95',
          'Error rate',
          'Dead',
          'Last pull',
        ],
        status.flows.map((f, i) => ({ f, k: figures[i]! })),
        ({ f, k }) => [
          h(
            'span',
            {},
            h('strong', {}, f.name),
            ' ',
            badge(f.direction),
            f.enabled ? null : badge('disabled', 'warn'),
          ),
          f.connector,
          h('span', { 'data-testid': `backlog-${f.name}` }, String(f.pending + f.inFlight)),
          f.oldestPendingAt ? duration(f.lagSeconds) : '—',
          `${duration(k.p50)} / ${duration(k.p95)}`,
          k.err === null || k.err === undefined ? '—' : `${(k.err * 100).toFixed(1)} %`,
          f.dead > 0
            ? h(
                'a',
                { href: `#/dead-letters?flow=${encodeURIComponent(f.name)}` },
                badge(String(f.dead), 'bad'),
              )
            : '0',
          f.direction === 'inbound' ? ago(pullByName.get(f.name)?.lastSuccessAt ?? null) : '—',
        ],
        'No flows are configured.',
      ),
      h('h2', {}, 'Connectors'),
      table(
        ['Connector', 'Type', 'Circuit', 'Consecutive failures'],
        status.connectors,
        (c) => [c.name, c.type, badge(c.circuit, circuitTone(c.circuit)), String(c.consecutiveFailures)],
        'No connectors.',
      ),
      h('p', { class: 'hint' }, `Updated ${new Date().toLocaleTimeString()} · refreshes every 2 s`),
    );
  };

  const drawCharts = async () => {
    const all = await Promise.all(charts.map((c) => series(c.name, range).catch(() => [] as Point[])));
    replace(chartBox, ...charts.map((c, i) => lineChart(c.title, all[i]!, c.format)));
  };

  await Promise.all([drawStatus().catch((e: unknown) => statusBox.appendChild(errorBox(e))), drawCharts()]);
  const stopStatus = poll(drawStatus, 2000);
  const stopCharts = poll(drawCharts, 30_000);
  return () => {
    stopStatus();
    stopCharts();
  };
};
