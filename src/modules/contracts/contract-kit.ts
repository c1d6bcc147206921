import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate } from '../../platform/db/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import { assertVersion } from '../../shared/versioning.js';
import type { Contract } from './contract-schemas.js';
import type { ContractRow } from './repository.js';
import { findContractRow, hydrateContracts } from './repository.js';

export async function loadContract(db: Kysely<Database>, id: string): Promise<Contract> {
  const row = await findContractRow(db, id);
  if (!row) throw errors.notFound('contract', id);
  const [contract] = await hydrateContracts(db, [row]);
  if (!contract) throw errors.notFound('contract', id);
  return contract;
}

/** Locks the contract header, which serialises every change to the contract and its versions. */
export async function lockContract(
  uow: UnitOfWork,
  id: string,
  expectedVersion: number | undefined,
): Promise<ContractRow> {
  const row = await forUpdate(
    uow.tx,
    uow.tx.selectFrom('contracts').selectAll().where('id', '=', id),
  ).executeTakeFirst();
  if (!row) throw errors.notFound('contract', id);
  assertVersion('contract', id, Number(row.version), expectedVersion);
  return row;
}
