import { ApiError } from './api.js';
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
