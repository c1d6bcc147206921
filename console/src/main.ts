import { currentSession, setUnauthorizedHandler, signIn, signOut, storedToken } from './api.js';
import { h, replace } from './dom.js';
import type { Page } from './page.js';
import { errorBox } from './page.js';
import { assetPage } from './pages/asset.js';
import { assetsPage } from './pages/assets.js';
import { conflictsPage } from './pages/conflicts.js';
import { deadLettersPage } from './pages/dead-letters.js';
import { healthPage } from './pages/health.js';
import { importJobPage } from './pages/import-job.js';
import { importsPage } from './pages/imports.js';
import { mappingsPage } from './pages/mappings.js';
import { planningPage } from './pages/planning.js';
import { reconcilePage } from './pages/reconcile.js';
import { replaysPage } from './pages/replays.js';
import { signInPage } from './pages/sign-in.js';
import { stockPage } from './pages/stock.js';
import { workOrderPage } from './pages/work-order.js';

type Group = 'Sync' | 'Operations';
/** `parent`: the menu entry a detail page belongs to (highlighted while it is shown). */
const routes: { path: string; label: string; page: Page; group: Group; parent?: string }[] = [
  { path: 'health', label: 'Sync health', page: healthPage, group: 'Sync' },
  { path: 'dead-letters', label: 'Dead letters', page: deadLettersPage, group: 'Sync' },
  { path: 'replays', label: 'Replays', page: replaysPage, group: 'Sync', parent: 'dead-letters' },
  { path: 'conflicts', label: 'Conflicts', page: conflictsPage, group: 'Sync' },
  { path: 'reconcile', label: 'Reconciliation', page: reconcilePage, group: 'Sync' },
  { path: 'mappings', label: 'Mappings', page: mappingsPage, group: 'Sync' },
  { path: 'planning', label: 'Planning', page: planningPage, group: 'Operations' },
  { path: 'work-order', label: 'Work order', page: workOrderPage, group: 'Operations', parent: 'planning' },
  { path: 'assets', label: 'Assets', page: assetsPage, group: 'Operations' },
  { path: 'asset', label: 'Asset', page: assetPage, group: 'Operations', parent: 'assets' },
  { path: 'stock', label: 'Stock', page: stockPage, group: 'Operations' },
  { path: 'imports', label: 'Imports', page: importsPage, group: 'Operations' },
  { path: 'import', label: 'Import', page: importJobPage, group: 'Operations', parent: 'imports' },
];

const app = document.getElementById('app') as HTMLElement;
let cleanup: (() => void) | void = undefined;
/**
 * Counts renders. A page may still be loading when the user moves on; when it finishes, the render that
 * drew it is stale, and what it returns (a poller's stop) must run at once rather than be kept: kept, it
 * would replace the current page's cleanup, and its poller would run on, unseen, for ever.
 */
let renders = 0;

function parseHash(): { path: string; params: URLSearchParams } {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { path, params: new URLSearchParams(query) };
}

async function render(): Promise<void> {
  const current = ++renders;
  cleanup?.();
  cleanup = undefined;
  const session = currentSession();
  const { path, params } = parseHash();
  if (!session) {
    replace(
      app,
      signInPage(async (token) => {
        await signIn(token);
        location.hash = `#/${path && path !== 'sign-in' ? path : 'health'}`;
        await render();
      }),
    );
    return;
  }
  const route = routes.find((r) => r.path === path) ?? routes[0]!;
  document.title = `${route.label} · Fieldsync console`;
  const main = h('main', { id: 'page' });
  const menuEntry = route.parent ?? route.path;
  const nav = h(
    'nav',
    { 'aria-label': 'Console', id: 'console-nav' },
    ...(['Sync', 'Operations'] as const).map((group) =>
      h(
        'span',
        { class: 'nav-group' },
        h('span', { class: 'nav-label' }, group),
        ...routes
          .filter((r) => r.group === group && !r.parent)
          .map((r) => h('a', { href: `#/${r.path}`, class: r.path === menuEntry ? 'active' : '' }, r.label)),
      ),
    ),
  );
  // Always shown on a wide screen; behind the Menu button on a phone (a closed <details> would hide it
  // on every screen, so the toggle is a plain button and the layout is the stylesheet's).
  const toggle = h(
    'button',
    {
      class: 'menu-toggle',
      type: 'button',
      'aria-controls': 'console-nav',
      'aria-expanded': 'false',
      onclick: () => toggle.setAttribute('aria-expanded', String(header.classList.toggle('open'))),
    },
    'Menu',
  );
  const header: HTMLElement = h(
    'header',
    {},
    h('a', { class: 'brand', href: '#/health' }, 'Fieldsync'),
    toggle,
    nav,
    h(
      'span',
      { class: 'who' },
      `${session.name} · ${session.grants[session.grants.length - 1] ?? ''}`,
      ' ',
      h(
        'button',
        {
          class: 'link',
          onclick: () => {
            signOut();
            void render();
          },
        },
        'Sign out',
      ),
    ),
  );
  replace(app, header, main);
  try {
    const done = await route.page(main, params);
    if (current === renders) cleanup = done;
    else done?.();
  } catch (error) {
    if (current === renders) main.appendChild(errorBox(error));
  }
}

setUnauthorizedHandler(() => void render());
window.addEventListener('hashchange', () => void render());

const token = storedToken();
if (token) {
  signIn(token)
    .catch(() => signOut())
    .finally(() => void render());
} else void render();
