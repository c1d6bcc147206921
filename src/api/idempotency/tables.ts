export interface IdempotencyKeysTable {
  /** Principal (token id) + key: keys are scoped to their caller. */
  scope_key: string;
  method: string;
  path: string;
  request_hash: string;
  /** 'in_progress' until the first response is stored. */
  state: string;
  status: number | null;
  response_body: string | null;
  response_headers: string | null;
  created_at: string;
}

export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeysTable;
}
