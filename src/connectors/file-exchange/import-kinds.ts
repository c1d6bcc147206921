import type { ExportFormat } from './manifest.js';

/** What an inbound file can hold; the file name prefix (or its manifest) says which. */
export const ImportKind = {
  customers: 'customers',
  items: 'items',
  stockLevels: 'stock-levels',
  priceLists: 'price-lists',
  purchaseReceipts: 'purchase-receipts',
} as const;
export type ImportKind = (typeof ImportKind)[keyof typeof ImportKind];

export const importKinds: readonly ImportKind[] = Object.values(ImportKind);

export function isImportKind(value: string): value is ImportKind {
  return (importKinds as readonly string[]).includes(value);
}

/** `customers.csv`, `customers_2026-11-26.csv`, `Stock-Levels-north.jsonl` … (case-insensitive prefix). */
export function kindFromFileName(name: string): ImportKind | undefined {
  const lower = name.toLowerCase();
  return importKinds.find((kind) => lower.startsWith(kind));
}

const formatByExtension: Record<string, ExportFormat> = {
  csv: 'csv',
  tsv: 'csv',
  txt: 'csv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  xml: 'xml',
};

export function formatFromFileName(name: string): ExportFormat | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return formatByExtension[name.slice(dot + 1).toLowerCase()];
}
