import type { ReadSpec, Row } from '../../runtime/reader.js';
import { id, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { locationXmlIds } from '../../runtime/location-refs.js';

/**
 * Storage locations (where stock is held: a Fieldsync warehouse or van maps to one), with the XML id when the location has one. `ref` is what a Fieldsync warehouse stores as
 * its ERP location ref: the XML id, else the code, else the id (the connector resolves all three).
 */
export const locationReadSpec: ReadSpec = {
  model: 'stock.location',
  domain: [['type', '=', 'storage']],
  fields: ['name', 'code', 'type', 'active', 'parent', 'parent.name', 'warehouse', 'warehouse.code'],
  async toData(rows: readonly Row[], rt: TrytonRuntime) {
    const xmlIds = await locationXmlIds(
      rt,
      rows.map((r) => r.id),
    );
    return rows.map((row) => {
      const xmlId = xmlIds.get(row.id) ?? null;
      return {
        id: row.id,
        name: text(row.name),
        code: text(row.code),
        type: row.type,
        active: row.active,
        parentId: id(row.parent),
        parentName: text(related(row, 'parent.name')),
        warehouseId: id(row.warehouse),
        warehouseCode: text(related(row, 'warehouse.code')),
        xmlId,
        ref: xmlId ?? text(row.code) ?? String(row.id),
      };
    });
  },
};
