import type { Warehouse } from '../../modules/stock/index.js';
import { listWarehouses } from '../../modules/stock/index.js';
import type { Executor } from '../../platform/outbox/index.js';

/**
 * The warehouse an ERP location ref names: the one whose `erpLocationRef` is `ref`, else (with `byCode`)
 * the one whose code is `ref`. Archived warehouses are included; callers decide what that means.
 */
export async function findWarehouseByRef(
  executor: Executor,
  ref: string,
  options: { byCode?: boolean } = {},
): Promise<Warehouse | undefined> {
  let byCode: Warehouse | undefined;
  let afterId: string | undefined;
  do {
    const page = await listWarehouses(executor, {}, { limit: 500, ...(afterId && { afterId }) });
    for (const w of page.data) {
      if (w.erpLocationRef === ref) return w;
      if (options.byCode !== false && w.code === ref) byCode ??= w;
    }
    afterId = page.nextAfterId ?? undefined;
  } while (afterId !== undefined);
  return byCode;
}
