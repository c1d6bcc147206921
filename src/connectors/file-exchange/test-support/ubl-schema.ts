import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The OASIS UBL 2.1 Invoice schema. It is shared data kept beside the checkout, not in the repository;
 * `FIELDSYNC_UBL_XSD` names it wherever else it lives (`.ci/run` sets it for a clone made elsewhere).
 */
export const ublInvoiceXsd =
  process.env.FIELDSYNC_UBL_XSD ??
  path.resolve(repoRoot, '../shared/data/ubl-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd');

export const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
export const hasUblSchema = existsSync(ublInvoiceXsd);
/** CI sets FIELDSYNC_TEST_XMLLINT=1 so a missing xmllint or schema fails instead of skipping. */
export const xmllintRequired = process.env.FIELDSYNC_TEST_XMLLINT === '1';

/** Validates a file against the UBL Invoice schema offline. */
export function validateUblInvoice(file: string): { ok: boolean; output: string } {
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', ublInvoiceXsd, file], {
    encoding: 'utf8',
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}
