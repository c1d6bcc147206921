import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import { ConnectorError } from '../../sdk/connector-error.js';
import { isConnectionReset, userWarningName } from './classify-error.js';
import { coerceValues, normalizeRecords } from './field-coercion.js';
import type { TrytonFieldInfo } from './field-coercion.js';
import { abandonedCall, currentCallSignal } from './call-scope.js';
import { postJsonRpc } from './json-rpc.js';
import type { JsonRpcOutcome } from './json-rpc.js';
import type {
  TrytonCallOptions,
  TrytonClientOptions,
  TrytonClientStats,
  TrytonContext,
  TrytonDomain,
  TrytonSearchOptions,
  TrytonSearchReadOptions,
  TrytonSession,
  TrytonWriteOptions,
} from './types.js';
import { isSessionRejected, openSession, warningAllowed } from './session.js';
import { runWizard } from './wizard.js';
import type { TrytonWizardResult, TrytonWizardStep } from './wizard.js';

const readOnlyMethods = new Set([
  'read',
  'search',
  'search_read',
  'search_count',
  'fields_get',
  'get_preferences',
]);

/**
 * JSON-RPC client for one Tryton database and user. Logs in lazily, sends the session header, logs in
 * again once when the session has expired (HTTP 401), merges the user's preferences into the context of
 * every model call, and caps concurrent HTTP requests. Every failure is a classified ConnectorError.
 */
export class TrytonClient {
  readonly databaseUrl: string;
  private readonly limit: LimitFunction;
  private session: TrytonSession | undefined;
  private loggingIn: Promise<TrytonSession> | undefined;
  private baseContext: Promise<TrytonContext> | undefined;
  private readonly fieldsCache = new Map<string, Promise<Record<string, TrytonFieldInfo>>>();
  private logins = 0;

  constructor(private readonly options: TrytonClientOptions) {
    const base = options.url.replace(/\/+$/, '');
    this.databaseUrl = `${base}/${encodeURIComponent(options.database)}/`;
    this.limit = options.limiter ?? pLimit(options.maxInFlight ?? 1);
  }

  /** Logs in now (normally done on the first call). Bad credentials → `auth`; throttled → `rate_limited`. */
  async login(): Promise<TrytonSession> {
    if (!this.loggingIn) {
      this.loggingIn = this.doLogin().finally(() => {
        this.loggingIn = undefined;
      });
    }
    return this.loggingIn;
  }

  /** Ends the session on the server (best effort) and forgets it. */
  async logout(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await this.post('common.db.logout', [], session.header, {});
  }

  get userId(): number | undefined {
    return this.session?.userId;
  }

  stats(): TrytonClientStats {
    return {
      maxInFlight: this.limit.concurrency,
      inFlight: this.limit.activeCount,
      queued: this.limit.pendingCount,
      logins: this.logins,
    };
  }

  /**
   * The context sent with model calls: `res.user.get_preferences(context_only=True)`, then the client's
   * `context` option, then its `company` option. Fetched once; see refreshContext().
   */
  async context(): Promise<TrytonContext> {
    if (!this.baseContext) {
      const pending = this.call<TrytonContext>('model.res.user.get_preferences', [true, {}]).then(
        (prefs) => ({
          ...prefs,
          ...this.options.context,
          ...(this.options.company === undefined ? {} : { company: this.options.company }),
        }),
      );
      this.baseContext = pending;
      pending.catch(() => {
        if (this.baseContext === pending) this.baseContext = undefined;
      });
    }
    return this.baseContext;
  }

  /** Forgets the cached context (e.g. after changing the user's company). */
  refreshContext(): void {
    this.baseContext = undefined;
  }

  /** Raw call: params are sent as given (typed values encoded), no context appended. */
  async call<T = unknown>(
    method: string,
    params: readonly unknown[],
    options: TrytonCallOptions = {},
  ): Promise<T> {
    const policy = options.acknowledgeWarnings ?? this.options.acknowledgeWarnings ?? false;
    const maxAcks = this.options.maxWarningAcks ?? 3;
    const acknowledged = new Set<string>();
    let reloggedIn = false;
    // Bounded: one re-login plus at most maxAcks acknowledgements.
    for (;;) {
      const session = this.session ?? (await this.login());
      const outcome = await this.post(method, params, session.header, options);
      if (outcome.ok) return outcome.result as T;
      const { error } = outcome;
      if (isSessionRejected(error) && !reloggedIn) {
        reloggedIn = true;
        if (this.session === session) this.session = undefined;
        continue;
      }
      const warning = userWarningName(error);
      if (warning !== undefined && !acknowledged.has(warning) && acknowledged.size < maxAcks) {
        const detail = error.vendorDetail as { message?: string };
        if (warningAllowed(policy, { name: warning, message: detail.message ?? '', method })) {
          acknowledged.add(warning);
          await this.acknowledgeWarning(warning);
          continue;
        }
      }
      throw error;
    }
  }

  /** Calls `model.<model>.<method>` with `args` followed by the merged context. */
  async model<T = unknown>(
    model: string,
    method: string,
    args: readonly unknown[],
    options: TrytonCallOptions = {},
  ): Promise<T> {
    const context = await this.contextFor(options);
    const idempotent = options.idempotent ?? readOnlyMethods.has(method);
    return this.call<T>(`model.${model}.${method}`, [...args, context], { ...options, idempotent });
  }

  async create(
    model: string,
    records: readonly Readonly<Record<string, unknown>>[],
    options: TrytonWriteOptions = {},
  ): Promise<number[]> {
    const values = options.coerce === false ? records : await this.coerceAll(model, records);
    return this.model<number[]>(model, 'create', [values], options);
  }

  async write(
    model: string,
    ids: readonly number[],
    values: Readonly<Record<string, unknown>>,
    options: TrytonWriteOptions = {},
  ): Promise<void> {
    const encoded = options.coerce === false ? values : await coerceValues(model, values, this.fieldsLookup);
    await this.model(model, 'write', [ids, encoded], options);
  }

  async read<R = Record<string, unknown>>(
    model: string,
    ids: readonly number[],
    fields: readonly string[],
    options: TrytonCallOptions = {},
  ): Promise<R[]> {
    const rows = await this.model<Record<string, unknown>[]>(model, 'read', [ids, fields], options);
    return normalizeRecords<R>(model, rows, this.fieldsLookup);
  }

  async search(model: string, domain: TrytonDomain, options: TrytonSearchOptions = {}): Promise<number[]> {
    const { offset = 0, limit = null, order = null } = options;
    return this.model<number[]>(model, 'search', [domain, offset, limit, order], options);
  }

  async searchRead<R = Record<string, unknown>>(
    model: string,
    domain: TrytonDomain,
    options: TrytonSearchReadOptions,
  ): Promise<R[]> {
    const { offset = 0, limit = null, order = null, fields } = options;
    const rows = await this.model<Record<string, unknown>[]>(
      model,
      'search_read',
      [domain, offset, limit, order, fields],
      options,
    );
    return normalizeRecords<R>(model, rows, this.fieldsLookup);
  }

  async searchCount(model: string, domain: TrytonDomain, options: TrytonCallOptions = {}): Promise<number> {
    return this.model<number>(model, 'search_count', [domain], options);
  }

  async delete(model: string, ids: readonly number[], options: TrytonCallOptions = {}): Promise<void> {
    await this.model(model, 'delete', [ids], options);
  }

  /** Runs a button / workflow method such as `stock.move.do` or `account.invoice.post`. */
  async execute<T = unknown>(
    model: string,
    button: string,
    ids: readonly number[],
    options: TrytonCallOptions = {},
  ): Promise<T> {
    return this.model<T>(model, button, [ids], options);
  }

  /** Runs a wizard through its states; see wizard.ts. The session is always deleted. */
  async wizard(
    name: string,
    steps: readonly TrytonWizardStep[],
    options: TrytonCallOptions = {},
  ): Promise<TrytonWizardResult[]> {
    const context = await this.contextFor(options);
    return runWizard((method, params) => this.call(method, params, options), name, steps, context);
  }

  /** Field types of a model (cached for the client's life). */
  readonly fieldsLookup = (model: string): Promise<Record<string, TrytonFieldInfo>> => {
    let cached = this.fieldsCache.get(model);
    if (!cached) {
      cached = this.model<Record<string, { type: string; relation?: string }>>(model, 'fields_get', [
        null,
      ]).then((all) => {
        const out: Record<string, TrytonFieldInfo> = {};
        for (const [name, info] of Object.entries(all)) {
          out[name] = info.relation ? { type: info.type, relation: info.relation } : { type: info.type };
        }
        return out;
      });
      this.fieldsCache.set(model, cached);
      cached.catch(() => this.fieldsCache.delete(model));
    }
    return cached;
  };

  private async coerceAll(
    model: string,
    records: readonly Readonly<Record<string, unknown>>[],
  ): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (const record of records) out.push(await coerceValues(model, record, this.fieldsLookup));
    return out;
  }

  private async contextFor(options: TrytonCallOptions): Promise<TrytonContext> {
    const context = { ...(await this.context()), ...options.context };
    if (
      (this.options.requireCompany ?? true) &&
      (context.company === undefined || context.company === null)
    ) {
      throw new ConnectorError(
        'auth',
        `Tryton user "${this.options.login}" has no current company; set one in Tryton or pass the company option`,
        { vendorDetail: { kind: 'configuration', database: this.options.database } },
      );
    }
    return context;
  }

  private async doLogin(): Promise<TrytonSession> {
    const { login, password, language = 'en' } = this.options;
    const session = await openSession((method, params) => this.post(method, params, undefined, {}), {
      login,
      password,
      language,
    });
    this.session = session;
    this.logins += 1;
    return session;
  }

  private async acknowledgeWarning(name: string): Promise<void> {
    const session = this.session ?? (await this.login());
    await this.call(
      'model.res.user.warning.create',
      [[{ user: session.userId, name, always: false }], await this.context()],
      { acknowledgeWarnings: false },
    );
  }

  /** One HTTP request under the concurrency limit; resends once on a dead pooled connection if safe. */
  private async post(
    method: string,
    params: readonly unknown[],
    authorization: string | undefined,
    options: TrytonCallOptions,
  ): Promise<JsonRpcOutcome> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    const signal = currentCallSignal();
    const send = (): Promise<JsonRpcOutcome> =>
      this.limit(async () => {
        // Checked again once the one-writer limit lets the request go: the caller may have left meanwhile.
        if (signal?.aborted) return { ok: false, error: abandonedCall(method, signal) };
        return postJsonRpc({
          url: this.databaseUrl,
          method,
          params,
          timeoutMs,
          ...(authorization === undefined ? {} : { authorization }),
          ...(signal && { signal }),
        });
      });
    const first = await send();
    if (!first.ok && options.idempotent === true && isConnectionReset(first.error)) return send();
    return first;
  }
}
