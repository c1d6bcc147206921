export { replaceCustomerLists } from './lists.js';
export type { CustomerLists, SiteState } from './lists.js';
export { customerRoutes } from './routes.js';
export {
  contactInputSchema,
  customerCreateSchema,
  customerPatchSchema,
  customerSchema,
  siteInputSchema,
} from './schemas.js';
export type {
  Contact,
  Customer,
  CustomerCreate,
  CustomerListFilter,
  CustomerPatch,
  Site,
} from './schemas.js';
export {
  addContact,
  addSite,
  archiveCustomer,
  createCustomer,
  CustomerEvents,
  getCustomer,
  listCustomers,
  updateContact,
  updateCustomer,
  updateSite,
} from './service.js';
export type { CustomersTables } from './tables.js';
