export { itemRoutes } from './routes.js';
export { itemCreateSchema, itemPatchSchema, itemSchema } from './schemas.js';
export type { Item, ItemCreate, ItemListFilter, ItemPatch } from './schemas.js';
export {
  archiveItem,
  createItem,
  getItem,
  getItemBySku,
  ItemEvents,
  listItems,
  updateItem,
} from './service.js';
export type { ItemsTables } from './tables.js';
