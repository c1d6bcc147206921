export { parsePulled, withoutNulls } from './applier.js';
export type { InboundApplier, LocalRecord } from './applier.js';
export { customerApplier } from './customer-applier.js';
export { itemApplier } from './item-applier.js';
export { stockLevelApplier } from './stock-level-applier.js';
export { isEchoFor, pullOriginOf, withOrigin } from './origin.js';
export type { PullOrigin } from './origin.js';
export { checkInboundTarget, findInboundApplier, getInboundApplier, inboundAppliers } from './registry.js';
export type { InboundApplierRegistry } from './registry.js';
