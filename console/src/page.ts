import { ApiError, LIST_MAX_PAGES, LIST_PAGE_SIZE } from './api.js';
import { h } from './dom.js';

/** A page draws into its root; it may return a cleanup (e.g. stop polling) run when the user leaves. */
export type Page = (root: HTMLElement, params: URLSearchParams) => Promise<(() => void) | void>;

/**
 * Re-runs `tick` until the page is left, or until `tick` answers `false` (what it shows can no longer
 * change, e.g. a finished replay: asking again would only cost the hub); every page that shows live
 * state polls through this.
 */
export function poll(tick: () => Promise<boolean | void>, everyMs: number): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = async () => {
    if (stopped) return;
    const again = await tick().catch(() => true);
    if (again === false) stopped = true;
    if (!stopped) timer = setTimeout(() => void loop(), everyMs);
  };
  timer = setTimeout(() => void loop(), everyMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export function errorBox(error: unknown): HTMLElement {
  const message = error instanceof ApiError ? `${error.status}: ${error.message}` : String(error);
  return h('p', { class: 'error', role: 'alert' }, message);
}

export function note(text: string, tone: 'ok' | 'error' = 'ok'): HTMLElement {
  return h('p', { class: tone === 'ok' ? 'notice' : 'error', role: 'status' }, text);
}

const listLimit = (LIST_MAX_PAGES * LIST_PAGE_SIZE).toLocaleString('en');

/**
 * A visible note for every list that was cut at the console's limit, or null when all are whole. Each
 * entry says what the list is and what to do about it, e.g. `['items', 'search by SKU']`.
 */
export function truncationNote(lists: [{ truncated: boolean }, string, string][]): HTMLElement | null {
  const cut = lists.filter(([list]) => list.truncated);
  if (cut.length === 0) return null;
  return h(
    'p',
    { class: 'error', role: 'status', 'data-testid': 'truncated' },
    ...cut.map(
      ([, what, remedy], i) =>
        `${i > 0 ? ' ' : ''}Only the first ${listLimit} ${what} were loaded, so this page may miss some: ${remedy}.`,
    ),
  );
}
