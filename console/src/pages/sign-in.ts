import { h } from '../dom.js';
import { errorBox } from '../page.js';

/** The token is kept in sessionStorage: it lives as long as the tab, and never in a cookie the API would trust. */
export function signInPage(submit: (token: string) => Promise<void>): HTMLElement {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    required: true,
    placeholder: 'fs_…',
  });
  const status = h('div', {});
  const form = h(
    'form',
    {
      class: 'sign-in',
      onsubmit: (e: Event) => {
        e.preventDefault();
        status.replaceChildren();
        submit(input.value.trim()).catch((error: unknown) => status.appendChild(errorBox(error)));
      },
    },
    h('h1', {}, 'Fieldsync console'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h(
      'p',
      { class: 'hint' },
      'The Quick start writes an admin token to data/admin-token.txt. What you can do here is what the token’s scopes allow.',
    ),
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  return h('div', { class: 'sign-in-wrap' }, form);
}
