import { get } from '../api.js';
import { progressBar } from '../components/progress.js';
import { badge, duration, h, replace, table } from '../dom.js';
import { statusTone, when } from '../format.js';
import type { Page } from '../page.js';
import { poll } from '../page.js';
import type { ImportJob } from './imports.js';
import { finalStatuses } from './imports.js';

interface Reject {
  rowNumber: number;
  reason: string;
  raw: string;
}

/**
 * One import while it runs and after: rows read, applied and rejected as they change (every 500 ms),
 * then every rejected row with its number and reason. Leaving and coming back shows the same job.
 */
export const importJobPage: Page = async (root, params) => {
  const id = encodeURIComponent(params.get('id') ?? '');
  const head = h('section', {});
  const rejectsBox = h('section', {});
  replace(root, h('p', {}, h('a', { href: '#/imports' }, '← all imports')), head, rejectsBox);
  let done = false;
  const draw = async () => {
    if (done) return;
    const job = await get<ImportJob>(`/imports/${id}`);
    const finished = finalStatuses.includes(job.status);
    const elapsed = job.startedAt
      ? (Date.parse(job.finishedAt ?? new Date().toISOString()) - Date.parse(job.startedAt)) / 1000
      : null;
    replace(
      head,
      h('h1', {}, `Import of ${job.fileName}`),
      h(
        'p',
        { 'data-testid': 'import-status' },
        badge(job.status, statusTone(job.status)),
        ` ${job.kind} · ${job.format}${job.encoding ? ` (${job.encoding})` : ''} · ${job.bytes} bytes · by ${job.requestedBy} · ${when(job.createdAt)}`,
        elapsed !== null ? ` · ${finished ? 'took' : 'running for'} ${duration(elapsed)}` : '',
      ),
      progressBar(
        [
          { label: 'Applied', value: job.applied, tone: 'ok' },
          { label: 'Rejected', value: job.rejected, tone: 'bad' },
        ],
        // The row count is known only at the end: until then the bar only says "working".
        finished ? job.rowsRead : null,
        'import-progress',
      ),
      h(
        'p',
        {},
        'Rows read: ',
        h('strong', { 'data-testid': 'import-progress-rows-read' }, String(job.rowsRead)),
      ),
      job.message
        ? h('p', { class: job.status === 'completed' ? 'notice' : 'error', role: 'status' }, job.message)
        : null,
      finished
        ? null
        : h(
            'p',
            { class: 'hint' },
            'The import runs in the hub: you can leave this page and come back from Imports.',
          ),
    );
    if (!finished) return;
    done = true;
    const rejects = await get<{ data: Reject[]; nextCursor: string | null }>(
      `/imports/${id}/rejects?limit=500`,
    );
    replace(
      rejectsBox,
      h('h2', {}, `Rejected rows (${job.rejected})`),
      keptNote(job),
      table(
        ['Row', 'Reason', 'As sent'],
        rejects.data,
        (r) => [String(r.rowNumber || 'file'), r.reason, h('code', {}, r.raw)],
        job.prunedAt ? 'None listed any more.' : 'No row was rejected.',
      ),
      rejects.nextCursor
        ? h(
            'p',
            { class: 'hint' },
            'The first 500 are shown; GET /v1/imports/{id}/rejects pages through all.',
          )
        : null,
    );
  };
  await draw();
  return poll(draw, 500);
};

/** Says when the list below holds fewer rows than were rejected: capped while importing, or pruned since. */
function keptNote(job: ImportJob): HTMLElement | null {
  if (job.prunedAt)
    return h(
      'p',
      { class: 'hint', 'data-testid': 'rejects-kept' },
      `The rejected rows were pruned ${when(job.prunedAt)}, with the upload, some days after the import ended (sync.historyDays).`,
    );
  if (job.rejectsKept >= job.rejected) return null;
  return h(
    'p',
    { class: 'hint', 'data-testid': 'rejects-kept' },
    `The first ${job.rejectsKept} rejected rows are kept with their reason; the other ${job.rejected - job.rejectsKept} were counted only. Fix what these show and upload the file again.`,
  );
}
