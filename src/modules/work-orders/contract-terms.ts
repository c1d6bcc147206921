import type { Executor } from '../../platform/outbox/index.js';
import { getContractVersionInForce, slaFor } from '../contracts/index.js';
import { orNull, unresolved } from './references.js';
import type { SlaHours } from './sla.js';
import type { WorkOrderPriority, WorkOrderType } from './work-order-types.js';

export interface ContractTerms {
  versionId: string;
  sla: SlaHours;
  /** Whether the version's coverage names this work-order type (billing decides what that means). */
  typeCovered: boolean;
}

/**
 * The contract version in force on the day the request was reported, which must belong to the work
 * order's customer. A contract that is not in force that day is a 422: the SLA would be made up.
 */
export async function resolveContractTerms(
  executor: Executor,
  query: {
    contractId: string;
    customerId: string;
    onDate: string;
    type: WorkOrderType;
    priority: WorkOrderPriority;
  },
): Promise<ContractTerms> {
  const version = await orNull(() => getContractVersionInForce(executor, query.contractId, query.onDate));
  if (version === null) {
    throw unresolved(
      ['contractId'],
      `contract ${query.contractId} does not exist or is not in force on ${query.onDate}`,
      {
        contractId: query.contractId,
        onDate: query.onDate,
      },
    );
  }
  if (version.customerId !== query.customerId) {
    throw unresolved(
      ['contractId'],
      `contract ${query.contractId} belongs to customer ${version.customerId}, not ${query.customerId}`,
      {
        contractId: query.contractId,
        contractCustomerId: version.customerId,
      },
    );
  }
  return {
    versionId: version.id,
    sla: slaFor(version, query.priority) ?? { responseHours: null, resolutionHours: null },
    typeCovered: version.coverage[query.type] !== undefined,
  };
}
