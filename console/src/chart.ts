import { h } from './dom.js';

export interface Point {
  at: string;
  value: number | null;
}

const svgNs = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * A line chart in plain SVG (no chart library: a handful of series with at most a few hundred points
 * each). Gaps (null buckets) break the line instead of pretending a value. Scales to its box.
 */
export function lineChart(title: string, points: Point[], format: (v: number) => string): HTMLElement {
  const w = 320;
  const hgt = 120;
  const pad = 4;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const latest = [...points].reverse().find((p) => p.value !== null)?.value ?? null;
  const figure = h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, title, h('strong', {}, latest === null ? 'no data' : format(latest))),
  );
  const root = svg('svg', { viewBox: `0 0 ${w} ${hgt}`, preserveAspectRatio: 'none', role: 'img' });
  root.setAttribute('aria-label', title);
  if (values.length > 0 && points.length > 1) {
    const max = Math.max(...values);
    const min = Math.min(0, ...values);
    const span = max - min || 1;
    const x = (i: number) => pad + (i / (points.length - 1)) * (w - 2 * pad);
    const y = (v: number) => hgt - pad - ((v - min) / span) * (hgt - 2 * pad);
    let d = '';
    let pen = false;
    points.forEach((p, i) => {
      if (p.value === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)} `;
      pen = true;
    });
    root.appendChild(svg('line', { x1: 0, x2: w, y1: y(min), y2: y(min), class: 'axis' }));
    root.appendChild(svg('path', { d, class: 'line' }));
    root.appendChild(svg('text', { x: pad, y: 12, class: 'tick' })).textContent = format(max);
  }
  figure.appendChild(root);
  const first = points[0]?.at;
  const last = points[points.length - 1]?.at;
  if (first && last) {
    figure.appendChild(
      h(
        'div',
        { class: 'range' },
        h('span', {}, new Date(first).toLocaleString()),
        h('span', {}, new Date(last).toLocaleString()),
      ),
    );
  }
  return figure;
}
