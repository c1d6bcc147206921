import { ConnectorError } from '../../../sdk/connector-error.js';
import type { TrytonRef } from '../../config.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import type { MoveLine, StockMovePayload } from './stock-move-payload.js';

/** A Fieldsync warehouse's location: config first, else the `erpLocationRef` the payload carries for it. */
function warehouseLocation(rt: TrytonRuntime, payload: StockMovePayload, id: string): Promise<number> {
  return rt.resolver.warehouseLocation(
    id,
    payload.warehouses?.find((w) => w.id === id),
  );
}

/** The line's "own" location: its ref, its warehouse, the op's ref or warehouse, else the default storage. */
async function here(rt: TrytonRuntime, payload: StockMovePayload, line: MoveLine): Promise<number> {
  if (line.location) return rt.resolver.location(line.location);
  if (line.warehouseId) return warehouseLocation(rt, payload, line.warehouseId);
  if (payload.location) return rt.resolver.location(payload.location);
  if (payload.warehouseId) return warehouseLocation(rt, payload, payload.warehouseId);
  return rt.resolver.location(rt.config.locations.storage);
}

/**
 * From and to of one line. Explicit `from`/`to` (line, then op) win; otherwise the kind decides, with
 * "here" being the line's own location:
 *
 * | kind        | from        | to          |
 * | consumption | here        | consumption |
 * | return      | consumption | here        |
 * | receipt     | supplier    | here        |
 * | scrap       | here        | lost+found  |
 * | found       | lost+found  | here        |
 * | transfer    | here        | `to` (required) |
 */
export async function lineLocations(
  rt: TrytonRuntime,
  payload: StockMovePayload,
  line: MoveLine,
): Promise<{ from: number; to: number }> {
  const loc = (ref: TrytonRef) => rt.resolver.location(ref);
  const { locations } = rt.config;
  const explicitFrom = line.from ?? payload.from;
  const explicitTo = line.to ?? payload.to;
  const own = () => here(rt, payload, line);
  const defaults: Record<StockMovePayload['kind'], () => Promise<{ from: number; to: number }>> = {
    consumption: async () => ({ from: await own(), to: await loc(locations.consumption) }),
    return: async () => ({ from: await loc(locations.consumption), to: await own() }),
    receipt: async () => ({ from: await loc(locations.supplier), to: await own() }),
    scrap: async () => ({ from: await own(), to: await loc(locations.lostFound) }),
    found: async () => ({ from: await loc(locations.lostFound), to: await own() }),
    transfer: async () => {
      if (explicitTo === undefined)
        throw new ConnectorError('validation', 'a transfer needs `to` (the receiving location)');
      return { from: await own(), to: await loc(explicitTo) };
    },
  };
  if (explicitFrom !== undefined && explicitTo !== undefined) {
    return { from: await loc(explicitFrom), to: await loc(explicitTo) };
  }
  const base = await defaults[payload.kind]();
  return {
    from: explicitFrom === undefined ? base.from : await loc(explicitFrom),
    to: explicitTo === undefined ? base.to : await loc(explicitTo),
  };
}
