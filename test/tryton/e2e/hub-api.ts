// The hub's public REST API as the end-to-end proof uses it: typed calls that fail with the problem body,
// and bounded waits on what the API reports (backlog, pulls, reconciliation runs).
import type { HubProcess } from './hub-process.js';
import { waitFor } from './hub-process.js';

export type Json = Record<string, unknown>;

export interface FlowStatus {
  name: string;
  direction: string;
  enabled: boolean;
  pending: number;
  inFlight: number;
  dead: number;
}

export interface PullResult {
  flow: string;
  outcome: string;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  conflicts: number;
  pullErrors: number;
}

export class HubApi {
  constructor(readonly hub: HubProcess) {}

  async request<T = Json>(method: string, route: string, body?: unknown, expected?: number[]): Promise<T> {
    const result = await this.hub.call(method, `/v1${route}`, body);
    const ok = expected ? expected.includes(result.status) : result.status >= 200 && result.status < 300;
    if (!ok) {
      throw new Error(
        `${method} /v1${route} answered ${result.status}: ${JSON.stringify(result.body)}\n${this.hub.log()}`,
      );
    }
    return result.body as T;
  }

  get<T = Json>(route: string): Promise<T> {
    return this.request<T>('GET', route);
  }

  post<T = Json>(route: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', route, body);
  }

  patch<T = Json>(route: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', route, body);
  }

  /** The one record of a list filtered to a single match (by code, SKU...). */
  async one<T = Json>(route: string): Promise<T> {
    const page = await this.get<{ data: T[] }>(route);
    if (page.data.length !== 1) throw new Error(`${route}: expected one record, got ${page.data.length}`);
    return page.data[0] as T;
  }

  /** Runs an inbound flow now (after any run in progress) and returns what it did. */
  pull(flow: string, rewind?: 'start' | 'pull_errors'): Promise<PullResult> {
    return this.post<PullResult>(`/sync/pulls/${flow}/run`, rewind ? { rewind } : {});
  }

  async flows(): Promise<FlowStatus[]> {
    return (await this.get<{ flows: FlowStatus[] }>('/sync/status')).flows;
  }

  /**
   * Waits (bounded) until no enabled outbound flow has anything pending or in flight, and returns the
   * flows' dead-letter counts: the backlog is drained when this returns.
   */
  async drained(timeoutMs = 150_000): Promise<Record<string, number>> {
    const flows = await waitFor(
      'the outbound backlog to drain',
      async () => {
        const all = (await this.flows()).filter((f) => f.direction === 'outbound' && f.enabled);
        return all.every((f) => f.pending === 0 && f.inFlight === 0) ? all : undefined;
      },
      timeoutMs,
    );
    return Object.fromEntries(flows.map((f) => [f.name, f.dead]));
  }

  /** Starts a reconciliation through the API and waits for its run to finish. */
  async reconcile(entity: string, remoteEntity: string): Promise<Json> {
    const started = await this.post<{ id: string }>('/sync/reconciliations', {
      connector: 'tryton',
      entity,
      remoteEntity,
    });
    return waitFor(`reconciliation of ${entity}`, async () => {
      const run = await this.get(`/sync/reconciliations/${started.id}`);
      return run.status === 'running' ? undefined : run;
    });
  }
}
