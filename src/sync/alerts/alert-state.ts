/** ok → pending (breached, waiting `for`) → firing → resolved (back under); resolved behaves like ok. */
export const AlertState = { ok: 'ok', pending: 'pending', firing: 'firing', resolved: 'resolved' } as const;
export type AlertState = (typeof AlertState)[keyof typeof AlertState];

export type NotificationKind = 'firing' | 'reminder' | 'resolved';

export interface StoredAlertState {
  state: AlertState;
  /** When the current state began. */
  since: string | null;
  lastNotifiedAt: string | null;
}

export interface AlertStep extends StoredAlertState {
  notify: NotificationKind | null;
}

const elapsedSeconds = (from: string | null, to: string) =>
  from === null ? Infinity : (Date.parse(to) - Date.parse(from)) / 1000;

/** The state machine of one rule, pure: what the stored state becomes at `now`, and what to announce. */
export function nextAlertState(
  prev: StoredAlertState,
  input: { breached: boolean; now: string; forSeconds: number; reminderSeconds: number },
): AlertStep {
  const { breached, now } = input;
  const fire = (): AlertStep => ({ state: 'firing', since: now, lastNotifiedAt: now, notify: 'firing' });
  switch (prev.state) {
    case 'firing':
      if (!breached) return { state: 'resolved', since: now, lastNotifiedAt: now, notify: 'resolved' };
      if (input.reminderSeconds > 0 && elapsedSeconds(prev.lastNotifiedAt, now) >= input.reminderSeconds) {
        return { ...prev, lastNotifiedAt: now, notify: 'reminder' };
      }
      return { ...prev, notify: null };
    case 'pending':
      if (!breached) return { state: 'ok', since: now, lastNotifiedAt: prev.lastNotifiedAt, notify: null };
      return elapsedSeconds(prev.since, now) >= input.forSeconds ? fire() : { ...prev, notify: null };
    case 'ok':
    case 'resolved':
      if (!breached) return { ...prev, notify: null };
      return input.forSeconds === 0
        ? fire()
        : { state: 'pending', since: now, lastNotifiedAt: prev.lastNotifiedAt, notify: null };
  }
}
