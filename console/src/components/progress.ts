import { h } from '../dom.js';

export interface Segment {
  label: string;
  value: number;
  tone: 'ok' | 'warn' | 'bad' | 'info';
}

/**
 * A stacked bar over `total` plus one figure per segment, each with a test id, so both people and tests
 * read the same numbers. With no known total (an import still reading) the bar is indeterminate.
 */
export function progressBar(segments: Segment[], total: number | null, testId: string): HTMLElement {
  const sum = segments.reduce((n, s) => n + s.value, 0);
  const scale = total && total > 0 ? total : sum;
  const bar = h('div', {
    class: `bar ${total === null ? 'indeterminate' : ''}`,
    role: 'progressbar',
    'aria-valuemin': 0,
    'aria-valuemax': scale,
    'aria-valuenow': sum,
  });
  for (const s of segments) {
    // Without a total the proportions would be made up: the striped bar alone says "working".
    if (total === null || s.value <= 0 || scale <= 0) continue;
    bar.appendChild(
      h('span', {
        class: `seg ${s.tone}`,
        style: `width:${((s.value / scale) * 100).toFixed(2)}%`,
        title: `${s.label}: ${s.value}`,
      }),
    );
  }
  return h(
    'div',
    { class: 'progress', 'data-testid': testId },
    bar,
    h(
      'div',
      { class: 'tiles' },
      ...segments.map((s) =>
        h(
          'div',
          { class: `tile ${s.tone === 'bad' && s.value > 0 ? 'bad' : ''}` },
          h('span', {}, s.label),
          h(
            'strong',
            { 'data-testid': `${testId}-${s.label.toLowerCase().replace(/[^a-z]+/g, '-')}` },
            String(s.value),
          ),
        ),
      ),
    ),
  );
}
