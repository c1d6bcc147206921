import { openExportFile } from '../atomic-writer.js';
import type { FileManifest } from '../manifest.js';
import type { UblInvoiceInput } from './ubl-document.js';
import { buildUblInvoice } from './ubl-invoice.js';

export interface WriteUblInvoiceOptions {
  dir: string;
  /** Default `ubl-invoices`. */
  flow?: string;
  seq?: number;
  clock?: () => Date;
  document: UblInvoiceInput;
}

/**
 * Writes one invoice as its own file (`<stamp>_<flow>_<seq>.xml` + manifest with `subject` = invoice id).
 * Resolves when durable; the billing document is acknowledged only then.
 */
export async function writeUblInvoiceFile(
  options: WriteUblInvoiceOptions,
): Promise<{ path: string; manifest: FileManifest }> {
  const { xml, document } = buildUblInvoice(options.document);
  const file = await openExportFile({
    dir: options.dir,
    flow: options.flow ?? 'ubl-invoices',
    format: 'xml',
    seq: options.seq,
    clock: options.clock,
    subject: document.id,
  });
  try {
    await file.write(xml);
    file.addRecords(1);
    return { path: file.path, manifest: await file.commit() };
  } catch (error) {
    await file.abort();
    throw error;
  }
}
