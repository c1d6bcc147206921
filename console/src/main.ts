import { currentSession, setUnauthorizedHandler, signIn, signOut, storedToken } from './api.js';
import { h, replace } from './dom.js';
import type { Page } from './page.js';
import { errorBox } from './page.js';
import { conflictsPage } from './pages/conflicts.js';
import { deadLettersPage } from './pages/dead-letters.js';
import { healthPage } from './pages/health.js';
import { mappingsPage } from './pages/mappings.js';
import { reconcilePage } from './pages/reconcile.js';
import { signInPage } from './pages/sign-in.js';

const routes: { path: string; label: string; page: Page; nav: boolean }[] = [
  { path: 'health', label: 'Sync health', page: healthPage, nav: true },
  { path: 'dead-letters', label: 'Dead letters', page: deadLettersPage, nav: true },
  { path: 'conflicts', label: 'Conflicts', page: conflictsPage, nav: true },
  { path: 'reconcile', label: 'Reconciliation', page: reconcilePage, nav: true },
  { path: 'mappings', label: 'Mappings', page: mappingsPage, nav: true },
];

const app = document.getElementById('app') as HTMLElement;
let cleanup: (() => void) | void = undefined;

function parseHash(): { path: string; params: URLSearchParams } {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { path, params: new URLSearchParams(query) };
}

async function render(): Promise<void> {
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
  const main = h('main', { id: 'page' });
  const nav = h(
    'nav',
    { 'aria-label': 'Console' },
    ...routes
      .filter((r) => r.nav)
      .map((r) => h('a', { href: `#/${r.path}`, class: r === route ? 'active' : '' }, r.label)),
  );
  const header = h(
    'header',
    {},
    h('a', { class: 'brand', href: '#/health' }, 'Fieldsync'),
    h('details', { class: 'menu' }, h('summary', {}, 'Menu'), nav),
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
    cleanup = await route.page(main, params);
  } catch (error) {
    main.appendChild(errorBox(error));
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
