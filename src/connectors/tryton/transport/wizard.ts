import type { TrytonContext } from './types.js';

export interface TrytonWizardStep {
  /**
   * The state to execute. Executing a StateView state returns its form and defaults; executing a
   * transition state (usually the name of a button's target) does the work.
   */
  state: string;
  /** Form values keyed by view state name, merged over the defaults that view returned earlier. */
  values?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface TrytonWizardResult {
  state: string;
  /** Present when the step ended on a form: its state name and default values. */
  view?: { state: string; defaults: Record<string, unknown> };
  /** Actions the wizard asked the client to open (reports, windows). */
  actions: unknown[];
}

type Call = (method: string, params: readonly unknown[]) => Promise<unknown>;

/**
 * Drives `wizard.<name>.create / execute / delete`. Tryton keeps the forms' values in a server-side
 * session, but `execute` overwrites them with whatever `data` holds, so data accumulates every view's
 * defaults plus the caller's values, as the desktop client does. Buttons are not callable over RPC;
 * executing the button's target state is the equivalent.
 */
export async function runWizard(
  call: Call,
  name: string,
  steps: readonly TrytonWizardStep[],
  context: TrytonContext,
): Promise<TrytonWizardResult[]> {
  const created = (await call(`wizard.${name}.create`, [context])) as [number, string, string];
  const sessionId = created[0];
  const data: Record<string, Record<string, unknown>> = {};
  const results: TrytonWizardResult[] = [];
  try {
    for (const step of steps) {
      for (const [view, values] of Object.entries(step.values ?? {})) {
        data[view] = { ...data[view], ...values };
      }
      const raw = (await call(`wizard.${name}.execute`, [sessionId, data, step.state, context])) as {
        view?: { state: string; defaults?: Record<string, unknown> };
        actions?: unknown[];
      };
      const result: TrytonWizardResult = { state: step.state, actions: raw.actions ?? [] };
      if (raw.view) {
        const defaults = withoutDisplayKeys(raw.view.defaults ?? {});
        data[raw.view.state] = { ...defaults, ...data[raw.view.state] };
        result.view = { state: raw.view.state, defaults };
      }
      results.push(result);
    }
  } finally {
    // The session row is garbage otherwise; a failure to delete it must not hide the real outcome.
    await call(`wizard.${name}.delete`, [sessionId, context]).catch(() => undefined);
  }
  return results;
}

/** Defaults carry display helpers such as 'company.rec_name' that are not fields of the form. */
function withoutDisplayKeys(defaults: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(defaults).filter(([key]) => !key.includes('.')));
}
