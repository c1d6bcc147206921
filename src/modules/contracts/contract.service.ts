import { isUniqueViolation } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { loadContract, lockContract } from './contract-kit.js';
import type {
  Contract,
  ContractCreate,
  ContractListFilter,
  ContractPatch,
  ContractTerminate,
} from './contract-schemas.js';
import { contractCreateSchema, contractPatchSchema, contractTerminateSchema } from './contract-schemas.js';
import { ContractEvents, contractSubject } from './events.js';
import { parseInput } from '../../shared/parse-input.js';
import { resolveCustomer } from './references.js';
import { findContractByNumber, hydrateContracts, listContractRows } from './repository.js';
import { insertVersion } from './version.service.js';

function numberTaken(number: string, conflictingId?: string) {
  return errors.conflict(
    `contract number ${number} is already used${conflictingId ? ` by contract ${conflictingId}` : ''}`,
    {
      field: 'number',
      ...(conflictingId && { conflictingId }),
    },
  );
}

/** A new contract starts as a draft; it may carry version 1 in the same write. */
export async function createContract(executor: Executor, raw: ContractCreate): Promise<Contract> {
  const input = parseInput(contractCreateSchema, raw);
  return inTransaction(executor, async (uow) => {
    const customer = await resolveCustomer(uow, input.customerId);
    const other = await findContractByNumber(uow.tx, input.number);
    if (other) throw numberTaken(input.number, other.id);
    const now = nowIso();
    const row = {
      id: newId(),
      number: input.number,
      customer_id: customer.id,
      status: 'draft',
      currency: input.currency ?? customer.currency,
      title: input.title ?? null,
      notes: input.notes ?? null,
      terminated_on: null,
      termination_reason: null,
      external_refs: JSON.stringify(input.externalRefs ?? {}),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await uow.tx.insertInto('contracts').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw numberTaken(input.number);
      throw error;
    }
    if (input.initialVersion) await insertVersion(uow, row, input.initialVersion, 1, ['initialVersion']);
    const contract = await loadContract(uow.tx, row.id);
    await uow.emit({ type: ContractEvents.created, subject: contractSubject(row.id), data: { contract } });
    return contract;
  });
}

export function getContract(executor: Executor, id: string): Promise<Contract> {
  return loadContract(queryable(executor), id);
}

export async function listContracts(
  executor: Executor,
  filter: ContractListFilter,
  page: { limit: number; afterId?: string } = { limit: 50 },
): Promise<{ data: Contract[]; nextAfterId: string | null }> {
  const db = queryable(executor);
  const rows = await listContractRows(db, filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: await hydrateContracts(db, pageRows),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

async function touch(
  uow: UnitOfWork,
  id: string,
  values: Record<string, unknown>,
  type: string,
  changedFields: string[],
) {
  await uow.tx
    .updateTable('contracts')
    .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: nowIso() }))
    .where('id', '=', id)
    .execute();
  const contract = await loadContract(uow.tx, id);
  await uow.emit({ type, subject: contractSubject(id), data: { contract, changedFields } });
  return contract;
}

/** Descriptive fields only; terms change by adding a version, status by activate/terminate. */
export async function updateContract(
  executor: Executor,
  id: string,
  raw: ContractPatch,
  expectedVersion?: number,
): Promise<Contract> {
  const patch = parseInput(contractPatchSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockContract(uow, id, expectedVersion);
    const values: Record<string, unknown> = {};
    const changed: string[] = [];
    if (patch.title !== undefined && patch.title !== row.title) {
      values.title = patch.title;
      changed.push('title');
    }
    if (patch.notes !== undefined && patch.notes !== row.notes) {
      values.notes = patch.notes;
      changed.push('notes');
    }
    if (patch.externalRefs !== undefined) {
      const merged = JSON.stringify({
        ...(JSON.parse(row.external_refs) as Record<string, string>),
        ...patch.externalRefs,
      });
      if (merged !== row.external_refs) {
        values.external_refs = merged;
        changed.push('externalRefs');
      }
    }
    if (changed.length === 0) return loadContract(uow.tx, id);
    return touch(uow, id, values, ContractEvents.updated, changed);
  });
}

/** draft → active; a contract without any version has nothing to put in force. */
export async function activateContract(
  executor: Executor,
  id: string,
  expectedVersion?: number,
): Promise<Contract> {
  return inTransaction(executor, async (uow) => {
    const row = await lockContract(uow, id, expectedVersion);
    if (row.status !== 'draft') {
      throw errors.conflict(`contract ${row.number} is ${row.status}; only a draft can be activated`, {
        contractId: id,
        currentStatus: row.status,
        allowedTransitions: row.status === 'active' ? ['terminated'] : [],
      });
    }
    const any = await uow.tx
      .selectFrom('contract_versions')
      .select('id')
      .where('contract_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    if (!any)
      throw errors.conflict(`contract ${row.number} has no version yet; add one before activating`, {
        contractId: id,
      });
    return touch(uow, id, { status: 'active' }, ContractEvents.updated, ['status']);
  });
}

/**
 * Termination is final: the contract stays in force up to and including `terminatedOn`, then covers
 * nothing. A termination day before the contract even started is a typing error (400).
 */
export async function terminateContract(
  executor: Executor,
  id: string,
  raw: ContractTerminate,
  expectedVersion?: number,
): Promise<Contract> {
  const input = parseInput(contractTerminateSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockContract(uow, id, expectedVersion);
    if (row.status === 'terminated') {
      throw errors.conflict(`contract ${row.number} is already terminated (on ${row.terminated_on ?? '?'})`, {
        contractId: id,
        currentStatus: row.status,
        allowedTransitions: [],
      });
    }
    const first = await uow.tx
      .selectFrom('contract_versions')
      .select((eb) => eb.fn.min('valid_from').as('start'))
      .where('contract_id', '=', id)
      .executeTakeFirst();
    const start = first?.start ?? null;
    if (start !== null && input.terminatedOn < start) {
      throw errors.validation(
        `terminatedOn ${input.terminatedOn} is before the contract starts on ${start}`,
        [{ path: ['terminatedOn'], message: `must not be before ${start}` }],
      );
    }
    return touch(
      uow,
      id,
      { status: 'terminated', terminated_on: input.terminatedOn, termination_reason: input.reason },
      ContractEvents.terminated,
      ['status', 'terminatedOn', 'terminationReason'],
    );
  });
}
