import { get } from '../api.js';
import { h, replace } from '../dom.js';
import type { Page } from '../page.js';

/** Each flow's mapping table, printed by the API as text: the documentation is the running config. */
export const mappingsPage: Page = async (root) => {
  const status = await get<{ flows: { name: string; direction: string; connector: string }[] }>(
    '/sync/status',
  );
  const sections = await Promise.all(
    status.flows.map(async (f) => {
      const text = await get<string>(`/sync/flows/${encodeURIComponent(f.name)}/mapping?format=text`).catch(
        (e: unknown) => String(e),
      );
      return h(
        'section',
        {},
        h('h2', {}, `${f.name} (${f.direction}, ${f.connector})`),
        h('pre', { class: 'mapping' }, text),
      );
    }),
  );
  replace(
    root,
    h('h1', {}, 'Mappings'),
    ...(sections.length ? sections : [h('p', { class: 'empty' }, 'No flows are configured.')]),
  );
};
