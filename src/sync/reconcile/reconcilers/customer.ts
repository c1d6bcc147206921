import type { Kysely } from 'kysely';
import { getCustomer, listCustomers } from '../../../modules/customers/index.js';
import type { Database } from '../../../platform/db/index.js';
import { lookupExternalIds } from '../../delivery/index.js';
import { reconField } from '../field-compare.js';
import { localKey, naturalKey, remoteKeysWithNatural } from '../key-strategy.js';
import type { LocalLoadContext, LocalRecord, Reconciler } from '../recon-types.js';

const natural = { prefix: 'code', field: 'code' } as const;

async function* loadCustomers(db: Kysely<Database>, ctx: LocalLoadContext): AsyncIterable<LocalRecord> {
  let afterId: string | undefined;
  do {
    const page = await listCustomers(db, {}, { limit: ctx.pageSize, ...(afterId && { afterId }) });
    const linked = await lookupExternalIds(
      db,
      ctx.connectorName,
      ctx.remoteEntity,
      page.data.map((c) => c.id),
    );
    for (const customer of page.data) {
      const externalId = linked.get(customer.id) ?? null;
      yield {
        key: localKey({
          externalId,
          natural: naturalKey(natural.prefix, customer.code),
          localId: customer.id,
        }),
        localId: customer.id,
        externalId,
        fields: customer,
      };
    }
    afterId = page.nextAfterId ?? undefined;
  } while (afterId !== undefined);
}

/** Customers: every customer (archived too, since archiving does not delete the ERP party). */
export const customerReconciler: Reconciler = {
  entity: 'customer',
  description: 'Customers by crosswalk id, then customer code',
  remoteEntity: 'customer',
  defaultFields: [reconField('code'), reconField('name'), reconField('email', { ignoreCase: true })],
  loadLocal: loadCustomers,
  remoteKeys: (record, fields) => remoteKeysWithNatural(record, fields, natural),
  resync: { eventEntity: 'customer', dataKey: 'customer', load: (executor, id) => getCustomer(executor, id) },
  kpi: { name: 'recon_accuracy', scope: (connector) => `connector:${connector}/customer` },
};
