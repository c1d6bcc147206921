import { errors } from '../../../shared/errors/index.js';
import { parseDate } from './dates.js';
import type { ContractVersion, PricingWorkOrder } from './input-schema.js';
import { workOrderTypes } from './input-schema.js';

/**
 * The caller picks the contract version; the engine refuses one that cannot apply, because pricing a job
 * against another customer's contract or an expired version would produce a plausible but wrong document.
 */
export function checkContractApplies(
  contract: ContractVersion | null,
  workOrder: PricingWorkOrder,
  date: string,
): void {
  if (!(workOrderTypes as readonly string[]).includes(workOrder.type)) {
    const message = `expected one of ${workOrderTypes.join(', ')}`;
    throw errors.validation(`invalid pricing input at workOrder.type: ${message}`, [
      { path: ['workOrder', 'type'], message },
    ]);
  }
  if (!contract) return;
  parseDate(contract.startDate, ['contract', 'startDate']);
  parseDate(contract.validFrom, ['contract', 'validFrom']);
  if (contract.validTo !== null) parseDate(contract.validTo, ['contract', 'validTo']);
  const label = `contract ${contract.number} version ${contract.version}`;
  if (contract.customerId !== workOrder.customerId) {
    throw errors.unprocessable(
      `${label} belongs to customer ${contract.customerId}, not to ${workOrder.customerId}`,
      {
        contractId: contract.id,
        customerId: workOrder.customerId,
      },
    );
  }
  if (date < contract.validFrom || (contract.validTo !== null && date > contract.validTo)) {
    const until = contract.validTo ?? 'open end';
    throw errors.unprocessable(
      `${label} is not in force on ${date} (valid from ${contract.validFrom} to ${until})`,
      {
        contractId: contract.id,
        documentDate: date,
        validFrom: contract.validFrom,
        validTo: contract.validTo,
      },
    );
  }
}
