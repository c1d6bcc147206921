/**
 * The file exchange's own table. It is not part of the shared `Database` interface (that file belongs to
 * the platform); queries go through `db.withTables<FileExchangeTables>()`.
 */
// Types, not interfaces: Kysely's withTables needs an index-compatible shape.
export type FileExchangeImportsTable = {
  /** SHA-256 (hex) of the file content: the identity of an import, whatever the file was called. */
  sha256: string;
  file_name: string;
  kind: string;
  format: string;
  bytes: number;
  rows_read: number;
  applied: number;
  rejected: number;
  processed_at: string;
  archived_as: string;
  rejects_file: string | null;
};

export type FileExchangeTables = {
  file_exchange_imports: FileExchangeImportsTable;
};
