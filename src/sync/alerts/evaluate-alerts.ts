import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { newId } from '../../shared/ids.js';
import type { SyncState } from '../kpis/index.js';
import { computeSyncState } from '../kpis/index.js';
import type { AlertRule } from './alert-rules.js';
import type { AlertNotification, AlertNotifier, NotifyResult } from './alert-notifier.js';
import type { AlertState, NotificationKind, StoredAlertState } from './alert-state.js';
import { nextAlertState } from './alert-state.js';

export interface AlertEvaluation {
  rule: AlertRule['name'];
  previous: AlertState;
  state: AlertState;
  since: string | null;
  value: number;
  threshold: number;
  breached: boolean;
  message: string;
  /** Set when this evaluation announced something (another hub that won the update does not). */
  notified: NotificationKind | null;
  delivery?: NotifyResult;
}

interface Measured {
  value: number;
  breached: boolean;
  message: string;
  details: Record<string, unknown>;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3));

/** Per-flow contributions, largest first, e.g. "customers: 2, items: 1". */
function worst(state: SyncState, pick: (f: SyncState['flows'][number]) => number, unit = ''): string {
  const parts = state.flows
    .map((f) => ({ flow: f.flow, v: pick(f) }))
    .filter((x) => x.v > 0)
    .sort((a, b) => b.v - a.v)
    .slice(0, 5)
    .map((x) => `${x.flow}: ${fmt(x.v)}${unit}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function measure(rule: AlertRule, state: SyncState): Measured {
  const { total } = state;
  switch (rule.name) {
    case 'dead_letters':
      return {
        value: total.deadLetters,
        breached: total.deadLetters > rule.threshold,
        message: `${total.deadLetters} dead letter(s)${worst(state, (f) => f.deadLetters)}; threshold ${fmt(rule.threshold)}`,
        details: { perFlow: Object.fromEntries(state.flows.map((f) => [f.flow, f.deadLetters])) },
      };
    case 'lag':
      return {
        value: total.oldestPendingSeconds,
        breached: total.oldestPendingSeconds > rule.threshold,
        message: `oldest undelivered event is ${fmt(total.oldestPendingSeconds)} s old${worst(state, (f) => f.oldestPendingSeconds, ' s')}; threshold ${fmt(rule.threshold)} s`,
        details: { perFlow: Object.fromEntries(state.flows.map((f) => [f.flow, f.oldestPendingSeconds])) },
      };
    case 'error_rate': {
      const rate = total.errorRate ?? 0;
      const enough = total.attempts >= rule.minAttempts;
      return {
        value: rate,
        breached: enough && rate > rule.threshold,
        message: `${total.failures} of ${total.attempts} attempts failed in ${rule.windowSeconds} s (${fmt(rate * 100)} %)${worst(state, (f) => f.failures)}; threshold ${fmt(rule.threshold * 100)} %${enough ? '' : `, needs ${rule.minAttempts} attempts`}`,
        details: { attempts: total.attempts, failures: total.failures, windowSeconds: rule.windowSeconds },
      };
    }
  }
}

async function loadState(db: Kysely<Database>, rule: string): Promise<StoredAlertState> {
  await db
    .insertInto('sync_alerts')
    .values({ rule, state: 'ok', since: null, last_value: null, last_notified_at: null, message: null })
    .onConflict((oc) => oc.column('rule').doNothing())
    .execute();
  const row = await db
    .selectFrom('sync_alerts')
    .selectAll()
    .where('rule', '=', rule)
    .executeTakeFirstOrThrow();
  return { state: row.state as AlertState, since: row.since, lastNotifiedAt: row.last_notified_at };
}

/**
 * Moves the state only if nobody else did since it was read (several hubs evaluate the same rows): the
 * hub whose update lands announces the transition, the others stay silent.
 */
async function compareAndSet(
  db: Kysely<Database>,
  rule: string,
  prev: StoredAlertState,
  next: StoredAlertState & { value: number; message: string },
): Promise<boolean> {
  let query = db
    .updateTable('sync_alerts')
    .set({
      state: next.state,
      since: next.since,
      last_notified_at: next.lastNotifiedAt,
      last_value: next.value,
      message: next.message,
    })
    .where('rule', '=', rule)
    .where('state', '=', prev.state);
  query = prev.since === null ? query.where('since', 'is', null) : query.where('since', '=', prev.since);
  query =
    prev.lastNotifiedAt === null
      ? query.where('last_notified_at', 'is', null)
      : query.where('last_notified_at', '=', prev.lastNotifiedAt);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Evaluates the enabled rules at `now` against storage, persists each rule's state in `sync_alerts`, and
 * announces firing, reminders and resolution through `notifier` (log and webhook). Pass `now` to drive it
 * with a fake clock.
 */
export async function evaluateAlerts(
  db: Kysely<Database>,
  rules: readonly AlertRule[],
  options: { now?: Date; notifier?: AlertNotifier } = {},
): Promise<AlertEvaluation[]> {
  const enabled = rules.filter((r) => r.enabled);
  if (enabled.length === 0) return [];
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const errorWindow = enabled.find((r) => r.name === 'error_rate')?.windowSeconds ?? 300;
  const sync = await computeSyncState(db, { now, windowSeconds: errorWindow, latencySampleLimit: 0 });
  const evaluations: AlertEvaluation[] = [];
  for (const rule of enabled) {
    const measured = measure(rule, sync);
    const prev = await loadState(db, rule.name);
    const step = nextAlertState(prev, {
      breached: measured.breached,
      now: at,
      forSeconds: rule.forSeconds,
      reminderSeconds: rule.reminderSeconds,
    });
    const won = await compareAndSet(db, rule.name, prev, {
      ...step,
      value: measured.value,
      message: measured.message,
    });
    const current = won ? step : await loadState(db, rule.name);
    const evaluation: AlertEvaluation = {
      rule: rule.name,
      previous: prev.state,
      state: current.state,
      since: current.since,
      value: measured.value,
      threshold: rule.threshold,
      breached: measured.breached,
      message: measured.message,
      notified: won ? step.notify : null,
    };
    if (won && step.notify !== null && options.notifier) {
      const notification: AlertNotification = {
        id: newId(),
        kind: step.notify,
        rule: rule.name,
        state: step.state,
        value: measured.value,
        threshold: rule.threshold,
        forSeconds: rule.forSeconds,
        since: step.since,
        at,
        message: measured.message,
        details: measured.details,
      };
      evaluation.delivery = await options.notifier.notify(notification);
    }
    evaluations.push(evaluation);
  }
  return evaluations;
}

export interface StoredAlert extends StoredAlertState {
  rule: string;
  lastValue: number | null;
  message: string | null;
}

/** Current state of every rule evaluated so far (for the API and console). */
export async function listAlertStates(db: Kysely<Database>): Promise<StoredAlert[]> {
  const rows = await db.selectFrom('sync_alerts').selectAll().orderBy('rule').execute();
  return rows.map((r) => ({
    rule: r.rule,
    state: r.state as AlertState,
    since: r.since,
    lastNotifiedAt: r.last_notified_at,
    lastValue: r.last_value === null ? null : Number(r.last_value),
    message: r.message,
  }));
}
