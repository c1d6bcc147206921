import { can, get, post } from '../api.js';
import { badge, h, replace, table } from '../dom.js';
import type { Page } from '../page.js';
import { errorBox, note } from '../page.js';

interface Conflict {
  id: string;
  flow: string;
  entity: string;
  localId: string;
  field: string;
  owner: string;
  kind: string;
  message: string;
  erpValue: unknown;
  localValue: unknown;
  status: string;
}

const show = (v: unknown) =>
  v === null || v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v);

export const conflictsPage: Page = async (root) => {
  const result = h('div', {});
  const listBox = h('section', {});
  replace(
    root,
    h('h1', {}, 'Conflicts'),
    h(
      'p',
      { class: 'lead' },
      'A field changed on the side that does not own it. Both values side by side; choose which one wins.',
    ),
    result,
    listBox,
  );
  const resolve = async (c: Conflict, body: Record<string, unknown>) => {
    try {
      await post(`/sync/conflicts/${encodeURIComponent(c.id)}/resolve`, body);
      // The list is redrawn before the note, so the note never shows beside the conflict it resolved.
      await draw();
      replace(result, note(`Resolved ${c.entity} ${c.field}: ${String(body.resolution)}.`));
    } catch (error) {
      replace(result, errorBox(error));
      await draw();
    }
  };
  const draw = async () => {
    const page = await get<{ data: Conflict[] }>('/sync/conflicts?status=open&limit=200');
    const writer = can('write');
    replace(
      listBox,
      table(
        ['Record', 'Field', 'Owner', 'ERP value', 'Our value', 'Resolve'],
        page.data,
        (c) => {
          const edit = h('input', { value: show(c.localValue), 'aria-label': 'edited value' });
          return [
            h('span', {}, `${c.entity} ${c.localId}`, h('br', {}), h('small', {}, c.message)),
            c.field,
            badge(c.owner),
            h('code', { class: 'erp' }, show(c.erpValue)),
            h('code', { class: 'ours' }, show(c.localValue)),
            h(
              'span',
              { class: 'row-actions' },
              h(
                'button',
                { disabled: !writer, onclick: () => void resolve(c, { resolution: 'take_erp' }) },
                'Take ERP',
              ),
              h(
                'button',
                { disabled: !writer, onclick: () => void resolve(c, { resolution: 'take_ours' }) },
                'Take ours',
              ),
              edit,
              h(
                'button',
                {
                  disabled: !writer,
                  onclick: () => void resolve(c, { resolution: 'edit', value: edit.value }),
                },
                'Save edit',
              ),
            ),
          ];
        },
        'No open conflicts.',
      ),
      writer ? null : h('p', { class: 'hint' }, 'Resolving needs a token with the write scope.'),
    );
  };
  await draw();
};
