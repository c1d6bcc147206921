import { errors } from '../../shared/errors/index.js';
import { billingDocumentReconciler } from './reconcilers/billing-document.js';
import { customerReconciler } from './reconcilers/customer.js';
import { itemReconciler } from './reconcilers/item.js';
import { stockReconciler } from './reconcilers/stock.js';
import type { ReconEntity, Reconciler } from './recon-types.js';

/** Every entity kind reconciliation knows, listed explicitly (no discovery). */
export const reconcilers: Readonly<Record<ReconEntity, Reconciler>> = {
  customer: customerReconciler,
  item: itemReconciler,
  stock: stockReconciler,
  billing_document: billingDocumentReconciler,
};

export function isReconEntity(value: string): value is ReconEntity {
  return Object.hasOwn(reconcilers, value);
}

/** The reconciler of an entity kind; an unknown kind is a `validation` error naming the known ones. */
export function getReconciler(entity: string): Reconciler {
  if (!isReconEntity(entity)) {
    const known = Object.keys(reconcilers);
    throw errors.validation(`no reconciler for entity "${entity}"; known: ${known.join(', ')}`, [
      { path: ['entity'], message: `must be one of ${known.join(', ')}` },
    ]);
  }
  return reconcilers[entity];
}
