import type { ConnectorLogger } from '../../sdk/connector.js';
import type { TrytonConnectorConfig, TrytonRef } from '../config.js';
import type { TrytonClient } from '../transport/index.js';
import { includeInactive } from './runtime.js';
import { referenceTag } from './references.js';
import { Cache, asId, unresolved } from './lookup-cache.js';

export interface ProductInfo {
  id: number;
  code: string | null;
  uom: number;
  costPrice: string;
  listPrice: string;
  /** Accounting category of the template (revenue and expense accounts). */
  accountCategory: number | null;
}

export interface PartyInfo {
  id: number;
  /** First active address: invoices need an invoice address. */
  address: number | null;
}

/**
 * Turns the references found in configs and payloads (XML ids, codes, SKUs, our own ids) into Tryton ids.
 * An unknown reference is a `validation` failure of the op that named it: retrying cannot make it exist.
 */
export class Resolver {
  readonly #master = new Cache<number>(Number.POSITIVE_INFINITY);
  readonly #products = new Cache<ProductInfo>(60_000);
  readonly #parties = new Cache<PartyInfo>(60_000);
  readonly #optional = new Map<string, number | null>();

  readonly #warnedCountries = new Set<string>();

  constructor(
    private readonly client: TrytonClient,
    private readonly config: TrytonConnectorConfig,
    private readonly logger?: ConnectorLogger,
  ) {}

  /** `module.fs_id` → database id, from `ir.model.data`. */
  xmlId(ref: string): Promise<number> {
    return this.#master.get(`xml:${ref}`, async () => {
      const dot = ref.indexOf('.');
      const rows = await this.client.searchRead<{ db_id: number }>(
        'ir.model.data',
        [
          ['module', '=', ref.slice(0, dot)],
          ['fs_id', '=', ref.slice(dot + 1)],
        ],
        { fields: ['db_id'], limit: 1 },
      );
      const id = rows[0]?.db_id;
      if (id === undefined) throw unresolved('XML id', ref);
      return id;
    });
  }

  /** A record of `model` by id, XML id (contains a dot) or `code`. */
  byRef(model: string, what: string, ref: TrytonRef): Promise<number> {
    const id = asId(ref);
    if (id !== undefined) return Promise.resolve(id);
    const text = String(ref);
    if (text.includes('.')) return this.xmlId(text);
    return this.#master.get(`${model}:code:${text}`, async () => {
      const ids = await this.client.search(model, [['code', '=', text]], {
        limit: 2,
        context: includeInactive,
      });
      if (ids.length !== 1) throw unresolved(what, ref, ids.length > 1 ? ' (ambiguous code)' : '');
      return ids[0] as number;
    });
  }

  location(ref: TrytonRef): Promise<number> {
    return this.byRef('stock.location', 'location', ref);
  }

  /**
   * The location of a Fieldsync warehouse: `warehouseLocations` in the config by the warehouse's id, then by
   * its code, else the warehouse's own `erpLocationRef` (when the payload carries the warehouse, as
   * `work_order.completed` does for the part lines' warehouses).
   */
  warehouseLocation(
    warehouse: string,
    known?: { code?: string | null | undefined; erpLocationRef?: string | null | undefined },
  ): Promise<number> {
    const mapped = this.config.warehouseLocations;
    const byCode = known?.code ? mapped[known.code] : undefined;
    const ref = mapped[warehouse] ?? byCode ?? (known?.erpLocationRef || undefined);
    if (ref === undefined) {
      return Promise.reject(
        unresolved(
          'location for Fieldsync warehouse',
          warehouse,
          '; give the warehouse an erpLocationRef or add it to warehouseLocations in the connector config',
        ),
      );
    }
    return this.location(ref);
  }

  /** Products by id or code (SKU); the misses of a whole batch are fetched in one call. */
  async products(refs: readonly TrytonRef[]): Promise<Map<string, ProductInfo>> {
    const out = new Map<string, ProductInfo>();
    const misses: string[] = [];
    for (const ref of new Set(refs.map(String))) {
      const hit = this.#products.peek(ref);
      if (hit) out.set(ref, hit);
      else misses.push(ref);
    }
    if (misses.length === 0) return out;
    const ids = misses.filter((r) => /^\d+$/.test(r)).map(Number);
    const codes = misses.filter((r) => !/^\d+$/.test(r));
    const rows = await this.client.searchRead<{
      id: number;
      code: string | null;
      default_uom: number;
      cost_price: string | null;
      list_price: string | null;
      'template.': { account_category?: number | null } | null;
    }>('product.product', ['OR', [['id', 'in', ids]], [['code', 'in', codes]]], {
      fields: ['code', 'default_uom', 'cost_price', 'list_price', 'template.account_category'],
      context: includeInactive,
    });
    for (const row of rows) {
      const info: ProductInfo = {
        id: row.id,
        code: row.code,
        uom: row.default_uom,
        costPrice: row.cost_price ?? '0',
        listPrice: row.list_price ?? '0',
        accountCategory: row['template.']?.account_category ?? null,
      };
      for (const key of [String(row.id), row.code]) {
        if (key !== null && misses.includes(key)) {
          this.#products.set(key, info);
          out.set(key, info);
        }
      }
    }
    return out;
  }

  /**
   * A party by id, by the reference Fieldsync wrote on it (a `party.identifier`, for parties Fieldsync
   * created), or by its code (parties that came from Tryton keep their code in Fieldsync).
   */
  party(ref: TrytonRef, code?: string | null): Promise<PartyInfo> {
    return this.#parties.get(`party:${ref}:${code ?? ''}`, async () => {
      let id = asId(ref);
      if (id === undefined) {
        const rows = await this.client.searchRead<{ party: number }>(
          'party.identifier',
          [['code', '=', referenceTag(String(ref))]],
          { fields: ['party'], limit: 1, context: includeInactive },
        );
        id = rows[0]?.party;
      }
      for (const candidate of [code, typeof ref === 'string' ? ref : undefined]) {
        if (id !== undefined || !candidate) continue;
        const ids = await this.client.search('party.party', [['code', '=', candidate]], {
          limit: 1,
          context: includeInactive,
        });
        id = ids[0];
      }
      if (id === undefined)
        throw unresolved('party for Fieldsync reference', code ? `${ref} / code ${code}` : ref);
      const addresses = await this.client.search('party.address', [['party', '=', id]], {
        order: [
          ['sequence', 'ASC'],
          ['id', 'ASC'],
        ],
        limit: 1,
      });
      return { id, address: addresses[0] ?? null };
    });
  }

  /** The company's currency (moves and cost postings are in it unless told otherwise). */
  companyCurrency(): Promise<number> {
    return this.#master.get('company-currency', async () => {
      const company = (await this.client.context()).company;
      if (typeof company !== 'number') throw unresolved('company', company);
      const [row] = await this.client.read<{ currency: number }>('company.company', [company], ['currency']);
      if (!row) throw unresolved('company', company);
      return row.currency;
    });
  }

  /** The company id from the session context. */
  async company(): Promise<number> {
    const company = (await this.client.context()).company;
    if (typeof company !== 'number') throw unresolved('company', company);
    return company;
  }

  currency(code: string): Promise<number> {
    return this.#master.get(`currency:${code}`, async () => {
      const ids = await this.client.search('currency.currency', [['code', '=', code]], { limit: 1 });
      if (ids[0] === undefined) throw unresolved('currency', code);
      return ids[0];
    });
  }

  uom(ref: TrytonRef): Promise<number> {
    const id = asId(ref);
    if (id !== undefined) return Promise.resolve(id);
    return this.#master.get(`uom:${ref}`, async () => {
      const ids = await this.client.search(
        'product.uom',
        ['OR', [['symbol', '=', ref]], [['name', '=', ref]]],
        {
          limit: 1,
        },
      );
      if (ids[0] === undefined) throw unresolved('unit', ref);
      return ids[0];
    });
  }

  /** An analytic account (cost center) by id or code, with its root (analytic entries need both). */
  async costCenter(ref: TrytonRef): Promise<{ id: number; root: number }> {
    const id = await this.byRef('analytic_account.account', 'cost center', ref);
    const root = await this.#master.get(`cc-root:${id}`, async () => {
      const [row] = await this.client.read<{ root: number | null; type: string }>(
        'analytic_account.account',
        [id],
        ['root', 'type'],
      );
      if (!row?.root || row.type !== 'normal')
        throw unresolved('cost center (a normal analytic account)', ref);
      return row.root;
    });
    return { id, root };
  }

  /** An employee by id, or by the name of the employee's party (technician name). */
  employee(ref: TrytonRef): Promise<number> {
    const id = asId(ref);
    if (id !== undefined) return Promise.resolve(id);
    return this.#master.get(`employee:${ref}`, async () => {
      const ids = await this.client.search('company.employee', [['party.name', '=', ref]], { limit: 2 });
      if (ids.length !== 1)
        throw unresolved('employee', ref, ids.length > 1 ? ' (several with that name)' : '');
      return ids[0] as number;
    });
  }

  /** A country by ISO code, or null when Tryton has none (countries not loaded). */
  async country(code: string): Promise<number | null> {
    const key = code.toUpperCase();
    if (this.#optional.has(`country:${key}`)) return this.#optional.get(`country:${key}`) ?? null;
    const ids = await this.client.search('country.country', [['code', '=', key]], { limit: 1 });
    const id = ids[0] ?? null;
    if (id !== null) this.#optional.set(`country:${key}`, id);
    else if (!this.#warnedCountries.has(key)) {
      this.#warnedCountries.add(key);
      this.logger?.warn({ country: key }, 'country not loaded in Tryton: addresses are written without it');
    }
    return id;
  }

  /** The first journal of a type (`revenue`, `expense`, `asset`). */
  journal(type: string): Promise<number> {
    return this.#master.get(`journal:${type}`, async () => {
      const ids = await this.client.search('account.journal', [['type', '=', type]], {
        order: [['id', 'ASC']],
        limit: 1,
      });
      if (ids[0] === undefined) throw unresolved('journal of type', type);
      return ids[0];
    });
  }

  /** An account: configured ref, else the default named in `account.configuration`. */
  account(
    configured: TrytonRef | undefined,
    fallback:
      | 'default_account_receivable'
      | 'default_account_payable'
      | 'default_category_account_revenue'
      | 'default_category_account_expense',
  ): Promise<number> {
    if (configured !== undefined) return this.byRef('account.account', 'account', configured);
    return this.#master.get(`config:${fallback}`, async () => {
      const [row] = await this.client.read<Record<string, number | null>>(
        'account.configuration',
        [1],
        [fallback],
      );
      const id = row?.[fallback];
      if (!id) throw unresolved('account (not set in account.configuration)', fallback);
      return id;
    });
  }

  /** The revenue account of a product's accounting category (invoice lines), else the configured default. */
  async revenueAccount(category: number | null): Promise<number> {
    if (category !== null) {
      const id = await this.#master.get(`cat-revenue:${category}`, async () => {
        const [row] = await this.client.read<{ account_revenue: number | null }>(
          'product.category',
          [category],
          ['account_revenue'],
        );
        return row?.account_revenue ?? 0;
      });
      if (id > 0) return id;
    }
    return this.account(this.config.accounts.revenue, 'default_category_account_revenue');
  }

  /** A timesheet work by name, created on first use (Tryton books every labor line on a work). */
  timesheetWork(name: string): Promise<number> {
    return this.#master.get(`work:${name}`, async () => {
      const ids = await this.client.search('timesheet.work', [['name', '=', name]], { limit: 1 });
      if (ids[0] !== undefined) return ids[0];
      const [created] = await this.client.create('timesheet.work', [{ name }]);
      return created as number;
    });
  }
}
