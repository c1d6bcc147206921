import type { ReadSpec, Row } from '../../runtime/reader.js';
import { id, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';

/**
 * Stock locations, with the XML id when the location has one. `ref` is what a Fieldsync warehouse stores as
 * its ERP location ref: the XML id, else the code, else the id (the connector resolves all three).
 */
export const locationReadSpec: ReadSpec = {
  model: 'stock.location',
  domain: [],
  fields: ['name', 'code', 'type', 'active', 'parent', 'parent.name', 'warehouse', 'warehouse.code'],
  async toData(rows: readonly Row[], rt: TrytonRuntime) {
    const xml = await rt.client.searchRead<{ db_id: number; module: string; fs_id: string }>(
      'ir.model.data',
      [
        ['model', '=', 'stock.location'],
        ['db_id', 'in', rows.map((r) => r.id)],
      ],
      { fields: ['db_id', 'module', 'fs_id'] },
    );
    const xmlIds = new Map(xml.map((x) => [x.db_id, `${x.module}.${x.fs_id}`]));
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
