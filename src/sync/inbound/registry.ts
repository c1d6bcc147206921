import { AppError } from '../../shared/errors/index.js';
import type { InboundApplier } from './applier.js';
import { assetApplier } from './asset-applier.js';
import { assetPurchaseApplier } from './asset-purchase-applier.js';
import { billingDocumentApplier } from './billing-document-applier.js';
import { customerApplier } from './customer-applier.js';
import { itemApplier } from './item-applier.js';
import { stockLevelApplier } from './stock-level-applier.js';
import { stockReceiptApplier } from './stock-receipt-applier.js';
import { warehouseApplier } from './warehouse-applier.js';

export type InboundApplierRegistry = Readonly<Record<string, InboundApplier>>;

/** Fieldsync entities that inbound flows can write to. Add an entity with one file and one line here. */
export const inboundAppliers: InboundApplierRegistry = {
  asset: assetApplier,
  asset_purchase: assetPurchaseApplier,
  billing_document: billingDocumentApplier,
  customer: customerApplier,
  item: itemApplier,
  stock_level: stockLevelApplier,
  stock_receipt: stockReceiptApplier,
  warehouse: warehouseApplier,
};

export function findInboundApplier(
  entity: string,
  registry: InboundApplierRegistry = inboundAppliers,
): InboundApplier | undefined {
  return Object.hasOwn(registry, entity) ? registry[entity] : undefined;
}

export function getInboundApplier(
  entity: string,
  registry: InboundApplierRegistry = inboundAppliers,
): InboundApplier {
  const applier = findInboundApplier(entity, registry);
  if (applier) return applier;
  const known = Object.keys(registry);
  throw new AppError('not_found', `no inbound applier for entity "${entity}"; known: ${known.join(', ')}`, {
    details: { entity, known },
  });
}

/**
 * Problems that keep an inbound flow from running: no applier for its entity, or mapping targets the
 * applier cannot write. Empty when the flow is fine. The flow loader can report these at load time.
 */
export function checkInboundTarget(
  flow: { name: string; entity: string; mapping: { ownership: Readonly<Record<string, unknown>> } },
  registry: InboundApplierRegistry = inboundAppliers,
): string[] {
  const applier = findInboundApplier(flow.entity, registry);
  if (!applier)
    return [
      `flow ${flow.name}: no inbound applier for entity "${flow.entity}"; known: ${Object.keys(registry).join(', ')}`,
    ];
  // A target is writable when the applier lists it, or lists the object field it is inside among the
  // fields it takes key by key (`externalRefs.x`).
  const unknown = Object.keys(flow.mapping.ownership).filter((target) => {
    if (applier.fields.includes(target)) return false;
    const head = target.split('.')[0] ?? target;
    return !(target.includes('.') && (applier.keyedFields ?? []).includes(head));
  });
  return unknown.length === 0
    ? []
    : [
        `flow ${flow.name}: ${flow.entity} has no writable field(s) ${unknown.join(', ')}; writable: ${[
          ...applier.fields,
          ...(applier.keyedFields ?? []).map((f) => `${f}.<key>`),
        ].join(', ')}`,
      ];
}
