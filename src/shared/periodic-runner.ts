/**
 * Runs a task now and then again `intervalMs` after each run ends (runs never overlap); `stop()` waits
 * for a run in progress. Failures go to `onError` and do not stop the schedule.
 */
export class PeriodicRunner {
  readonly #task: () => Promise<unknown>;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #active = false;

  constructor(task: () => Promise<unknown>, onError: (error: unknown) => void) {
    this.#task = task;
    this.#onError = onError;
  }

  get active(): boolean {
    return this.#active;
  }

  start(intervalMs: number): void {
    if (this.#active) return;
    this.#active = true;
    const tick = async () => {
      this.#running = this.#task().catch(this.#onError);
      await this.#running;
      this.#running = undefined;
      if (this.#active) this.#timer = setTimeout(tick, intervalMs);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.#active = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
