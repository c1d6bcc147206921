import type { Kysely } from 'kysely';
import { getItem, listItems } from '../../../modules/items/index.js';
import type { Database } from '../../../platform/db/index.js';
import { lookupExternalIds } from '../../delivery/index.js';
import { FieldOwner } from '../../mapping/index.js';
import { reconField } from '../field-compare.js';
import { localKey, naturalKey, remoteKeysWithNatural } from '../key-strategy.js';
import type { LocalLoadContext, LocalRecord, Reconciler } from '../recon-types.js';

const natural = { prefix: 'sku', field: 'sku' } as const;

async function* loadItems(db: Kysely<Database>, ctx: LocalLoadContext): AsyncIterable<LocalRecord> {
  let afterId: string | undefined;
  do {
    const page = await listItems(db, {}, { limit: ctx.pageSize, ...(afterId && { afterId }) });
    const linked = await lookupExternalIds(
      db,
      ctx.connectorName,
      ctx.remoteEntity,
      page.data.map((i) => i.id),
    );
    for (const item of page.data) {
      const externalId = linked.get(item.id) ?? null;
      yield {
        key: localKey({ externalId, natural: naturalKey(natural.prefix, item.sku), localId: item.id }),
        localId: item.id,
        externalId,
        fields: item,
      };
    }
    afterId = page.nextAfterId ?? undefined;
  } while (afterId !== undefined);
}

/** Items by crosswalk id, then SKU. Prices compare as decimals; the ERP owns price lists. */
export const itemReconciler: Reconciler = {
  entity: 'item',
  description: 'Items by crosswalk id, then SKU',
  remoteEntity: 'item',
  defaultFields: [
    reconField('sku'),
    reconField('name'),
    reconField('unit', { ignoreCase: true }),
    reconField('listPrice', { decimal: true, owner: FieldOwner.erp }),
  ],
  loadLocal: loadItems,
  remoteKeys: (record, fields) => remoteKeysWithNatural(record, fields, natural),
  resync: { eventEntity: 'item', dataKey: 'item', load: (executor, id) => getItem(executor, id) },
  kpi: { name: 'recon_accuracy', scope: (connector) => `connector:${connector}/item` },
};
