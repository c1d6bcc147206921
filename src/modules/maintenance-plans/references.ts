import type { Executor } from '../../platform/outbox/index.js';
import { isAppError } from '../../shared/errors/index.js';
import type { Asset } from '../assets/index.js';
import { getAsset } from '../assets/index.js';
import type { Contract } from '../contracts/index.js';
import { getContract } from '../contracts/index.js';
import { getChecklistTemplate } from '../work-orders/index.js';
import { unresolved } from './parse-input.js';

export async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return null;
    throw error;
  }
}

export async function resolveAsset(executor: Executor, assetId: string): Promise<Asset> {
  const asset = await orNull(() => getAsset(executor, assetId));
  if (!asset) throw unresolved(['assetId'], `asset ${assetId} does not exist`, { assetId });
  if (asset.status === 'disposed') throw unresolved(['assetId'], `asset ${assetId} is disposed`, { assetId });
  return asset;
}

export async function resolveContract(
  executor: Executor,
  contractId: string,
  customerId?: string,
): Promise<Contract> {
  const contract = await orNull(() => getContract(executor, contractId));
  if (!contract) throw unresolved(['contractId'], `contract ${contractId} does not exist`, { contractId });
  if (customerId !== undefined && contract.customerId !== customerId) {
    throw unresolved(
      ['contractId'],
      `contract ${contractId} belongs to customer ${contract.customerId}, not ${customerId}`,
      {
        contractId,
        contractCustomerId: contract.customerId,
      },
    );
  }
  return contract;
}

export async function resolveChecklistTemplate(executor: Executor, templateId: string): Promise<void> {
  const template = await orNull(() => getChecklistTemplate(executor, templateId));
  const path = ['workOrder', 'checklistTemplateId'];
  if (!template)
    throw unresolved(path, `checklist template ${templateId} does not exist`, {
      checklistTemplateId: templateId,
    });
  if (template.status === 'archived')
    throw unresolved(path, `checklist template ${templateId} is archived`, {
      checklistTemplateId: templateId,
    });
}
