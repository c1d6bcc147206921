/** Facts about the test ERP's REST API shared by its server and its connector. */
export const TEST_ERP_VERSION = 'test-erp/1';
export const TEST_ERP_ENTITIES = ['customer', 'item', 'stock_move', 'invoice', 'asset', 'timesheet'] as const;
export type TestErpEntity = (typeof TEST_ERP_ENTITIES)[number];
export const TEST_ERP_MAX_PAGE = 1000;
export const TEST_ERP_MAX_BATCH = 500;

export interface WireRecord {
  id: string;
  reference?: string;
  modifiedAt: string;
  data: Record<string, unknown>;
}

export interface WireOpResult {
  idempotencyKey?: string;
  ok: boolean;
  status: number;
  id?: string;
  replayed?: boolean;
  error?: { code: string; message: string; details?: { id?: string } & Record<string, unknown> };
}
