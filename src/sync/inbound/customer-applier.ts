import type { Customer } from '../../modules/customers/index.js';
import {
  createCustomer,
  customerCreateSchema,
  customerPatchSchema,
  getCustomer,
  listCustomers,
  updateCustomer,
} from '../../modules/customers/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { isAppError } from '../../shared/errors/index.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { parsePulled, withoutNulls } from './applier.js';

const toLocal = (c: Customer): LocalRecord => ({
  id: c.id,
  version: c.version,
  updatedAt: c.updatedAt,
  data: c,
});

async function read(executor: Executor, id: string): Promise<LocalRecord | undefined> {
  try {
    return toLocal(await getCustomer(executor, id));
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return undefined;
    throw error;
  }
}

/** Customers: header fields only (sites and contacts are lists and need their own flows). Matched by `code`. */
export const customerApplier: InboundApplier = {
  entity: 'customer',
  eventKey: 'customer',
  fields: ['code', 'name', 'legalName', 'taxId', 'email', 'phone', 'currency'],
  read,
  async findMatch(executor, values) {
    const code = values.code;
    if (typeof code !== 'string' || code === '') return undefined;
    const found = await listCustomers(executor, { code }, { limit: 1 });
    const customer = found.data[0];
    return customer ? toLocal(customer) : undefined;
  },
  async create(uow, values) {
    const input = parsePulled(customerCreateSchema, withoutNulls(values), 'customer');
    return toLocal(await createCustomer(uow, input));
  },
  async update(uow, id, patch, expectedVersion) {
    const input = parsePulled(customerPatchSchema, patch, 'customer change');
    return toLocal(await updateCustomer(uow, id, input, expectedVersion));
  },
};
