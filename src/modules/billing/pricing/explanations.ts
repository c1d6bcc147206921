import { addDays } from './dates.js';
import { formatMoney, plain } from './decimal.js';
import type { Dec } from './decimal.js';
import type { Reason } from './document-schema.js';
import type { LineKind, WorkOrderType } from './input-schema.js';
import { ReasonCode } from './reason-codes.js';

/**
 * Every human sentence the engine writes, in one place so wording stays consistent and can be translated
 * later by keying on the reason code.
 */

const kindWords: Record<LineKind, string> = { labor: 'labor', part: 'parts', fee: 'travel' };
const typeWords: Record<WorkOrderType, string> = {
  preventive: 'preventive maintenance',
  corrective: 'corrective maintenance',
  installation: 'installation',
  inspection: 'inspection',
};

export const kindWord = (kind: LineKind): string => kindWords[kind];
export const workTypeWord = (type: WorkOrderType): string => typeWords[type];

const reason = (code: Reason['code'], text: string): Reason => ({ code, text });

export function priceOrigin(args: {
  fromCustomerList: boolean;
  listId: string;
  unitPrice: string;
  currency: string;
  unit: string;
}): Reason {
  const list = args.fromCustomerList ? 'customer price list' : 'default price list';
  const code = args.fromCustomerList ? ReasonCode.priceCustomerList : ReasonCode.priceDefaultList;
  return reason(
    code,
    `unit price ${args.unitPrice} ${args.currency}/${args.unit} from ${list} ${args.listId}`,
  );
}

export const laborRounded = (worked: number, rounded: number, increment: number): Reason =>
  reason(
    ReasonCode.laborRounded,
    `labor rounded up from ${worked} to ${rounded} minutes (billed per started ${increment} minutes)`,
  );

export const laborMinimum = (minimum: number, worked: number): Reason =>
  reason(
    ReasonCode.laborMinimum,
    `minimum labor charge of ${minimum} minutes applied (${worked} minutes worked)`,
  );

export const laborNotBillable = (minutes: number): Reason =>
  reason(
    ReasonCode.laborNotBillable,
    `labor recorded as not billable: ${minutes} minutes shown at no charge`,
  );

export const feeCallOut = (): Reason => reason(ReasonCode.feeCallOut, 'call-out fee, charged once per visit');

export const feeDistance = (km: Dec, rate: string, currency: string): Reason =>
  reason(ReasonCode.feeDistance, `travel of ${plain(km)} km at ${rate} ${currency}/km`);

export const contractDiscount = (pct: Dec, kind: LineKind, contractNumber: string): Reason =>
  reason(
    ReasonCode.contractDiscount,
    `${plain(pct)}% contract discount on ${kindWord(kind)} (contract ${contractNumber})`,
  );

export const warrantyCovered = (kind: LineKind, assetId: string, until: string): Reason =>
  reason(
    ReasonCode.warrantyCovered,
    `${kindWord(kind)} covered by warranty of asset ${assetId} (valid until ${until})`,
  );

export const warrantyExpired = (kind: LineKind, assetId: string, until: string, charged: boolean): Reason =>
  reason(
    ReasonCode.warrantyExpired,
    `${kindWord(kind)} ${charged ? 'charged' : 'not under warranty'}: asset ${assetId} out of warranty since ${addDays(until, 1)}`,
  );

export const warrantySupersededByContract = (
  kind: LineKind,
  assetId: string,
  contractNumber: string,
): Reason =>
  reason(
    ReasonCode.warrantySupersededByContract,
    `${kindWord(kind)} warranty of asset ${assetId} not claimed: contract ${contractNumber} pays first`,
  );

export const contractCovered = (
  kind: LineKind,
  pct: Dec,
  contractNumber: string,
  type: WorkOrderType,
): Reason =>
  reason(
    ReasonCode.contractCovered,
    `${kindWord(kind)} covered ${plain(pct)}% by contract ${contractNumber}, ${workTypeWord(type)}`,
  );

export const contractNotCovered = (kind: LineKind, contractNumber: string, type: WorkOrderType): Reason =>
  reason(
    ReasonCode.contractNotCovered,
    `${kindWord(kind)} not covered by contract ${contractNumber} for ${workTypeWord(type)}`,
  );

export const contractTypeNotCovered = (contractNumber: string, type: WorkOrderType): Reason =>
  reason(
    ReasonCode.contractTypeNotCovered,
    `contract ${contractNumber} does not cover ${workTypeWord(type)}`,
  );

export const contractCategoryExcluded = (category: string, contractNumber: string): Reason =>
  reason(
    ReasonCode.contractCategoryExcluded,
    `part category ${category} is excluded from contract ${contractNumber}`,
  );

export const contractCategoryNotIncluded = (
  category: string,
  contractNumber: string,
  included: string[],
): Reason =>
  reason(
    ReasonCode.contractCategoryNotIncluded,
    `part category ${category} is not covered by contract ${contractNumber} (covered: ${included.join(', ') || 'none'})`,
  );

export const contractSupersededByWarranty = (kind: LineKind, contractNumber: string): Reason =>
  reason(
    ReasonCode.contractSupersededByWarranty,
    `contract ${contractNumber} not charged for ${kindWord(kind)}: warranty takes precedence`,
  );

export const noContract = (): Reason => reason(ReasonCode.noContract, 'no service contract in force');

export interface CapNotice {
  capId: string;
  periodKey: string;
  limit: Dec;
  usedBefore: Dec;
  currency: string;
}

function capName(cap: CapNotice): string {
  return `cap ${cap.capId} (${cap.periodKey}, ${formatMoney(cap.usedBefore, cap.currency)} of ${formatMoney(cap.limit, cap.currency)} used before this line)`;
}

export const capLimited = (cap: CapNotice, granted: Dec): Reason =>
  reason(
    ReasonCode.capLimited,
    `contract coverage limited to ${formatMoney(granted, cap.currency)} by ${capName(cap)}`,
  );

export const capExhausted = (kind: LineKind, cap: CapNotice): Reason =>
  reason(ReasonCode.capExhausted, `no contract coverage for ${kindWord(kind)}: ${capName(cap)} is exhausted`);
