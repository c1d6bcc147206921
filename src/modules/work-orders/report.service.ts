import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { renderReportPage } from './report-html.js';
import { loadWorkOrder } from './repository.js';
import type { ServiceReportContent } from './service-report.js';
import { buildServiceReport } from './service-report.js';
import { getSignature } from './signature.service.js';

export interface ServiceReportView {
  workOrderId: string;
  number: string;
  status: string;
  completedAt: string | null;
  /** SHA-256 of the canonical JSON of `content`: what a signature must name. */
  reportHash: string;
  /** The hash stored at completion (updated by corrections); null before completion. */
  completedReportHash: string | null;
  content: ServiceReportContent;
  signature: { signerName: string; signedAt: string; reportHash: string; matchesReport: boolean } | null;
}

/** The structured service report: the content a customer signs plus its hash. */
export async function getServiceReport(executor: Executor, id: string): Promise<ServiceReportView> {
  const wo = await loadWorkOrder(queryable(executor), id);
  const report = buildServiceReport(wo);
  return {
    workOrderId: wo.id,
    number: wo.number,
    status: wo.status,
    completedAt: wo.completedAt,
    reportHash: report.hash,
    completedReportHash: wo.reportHash,
    content: report.content,
    signature: wo.signature
      ? {
          signerName: wo.signature.signerName,
          signedAt: wo.signature.signedAt,
          reportHash: wo.signature.reportHash,
          matchesReport: wo.signature.reportHash === report.hash,
        }
      : null,
  };
}

/** The printable HTML service report (print to PDF from a browser; no server-side PDF yet). */
export async function renderServiceReportHtml(executor: Executor, id: string): Promise<string> {
  const db = queryable(executor);
  const wo = await loadWorkOrder(db, id);
  const signature = await getSignature(db, id);
  return renderReportPage({
    report: buildServiceReport(wo),
    status: wo.status,
    completedAt: wo.completedAt,
    signature,
  });
}
