import type { ColumnLayout } from './column-layout.js';

/**
 * Starting layouts for the four outbound flows. A flow's mapping may replace any of them; the field paths
 * name properties of the mapped record the flow hands to exportRecords.
 */
export const defaultLayouts = {
  stockMovements: [
    { field: 'id', header: 'movement_id' },
    { field: 'occurredAt', header: 'occurred_at' },
    { field: 'sku', header: 'sku' },
    { field: 'fromLocation', header: 'from_location' },
    { field: 'toLocation', header: 'to_location' },
    { field: 'quantity', header: 'quantity', numeric: true },
    { field: 'uom', header: 'uom' },
    { field: 'reason', header: 'reason' },
    { field: 'workOrderRef', header: 'work_order_ref' },
  ],
  /** One row per billing document line; the document fields repeat on each of its lines. */
  billingDocuments: [
    { field: 'documentId', header: 'document_id' },
    { field: 'documentNumber', header: 'document_number' },
    { field: 'issueDate', header: 'issue_date' },
    { field: 'customerCode', header: 'customer_code' },
    { field: 'currency', header: 'currency' },
    { field: 'lineNo', header: 'line_no', numeric: true },
    { field: 'sku', header: 'sku' },
    { field: 'description', header: 'description' },
    { field: 'quantity', header: 'quantity', numeric: true },
    { field: 'unitPrice', header: 'unit_price', numeric: true },
    { field: 'lineAmount', header: 'line_amount', numeric: true },
    { field: 'taxCategory', header: 'tax_category' },
    { field: 'taxPercent', header: 'tax_percent', numeric: true },
    { field: 'documentTotal', header: 'document_total', numeric: true },
  ],
  assetEvents: [
    { field: 'id', header: 'event_id' },
    { field: 'assetId', header: 'asset_id' },
    { field: 'serialNumber', header: 'serial_number' },
    { field: 'type', header: 'event_type' },
    { field: 'occurredAt', header: 'occurred_at' },
    { field: 'location', header: 'location' },
    { field: 'customerCode', header: 'customer_code' },
    { field: 'note', header: 'note' },
  ],
  maintenanceCosts: [
    { field: 'id', header: 'cost_id' },
    { field: 'workOrderRef', header: 'work_order_ref' },
    { field: 'assetId', header: 'asset_id' },
    { field: 'costCenter', header: 'cost_center' },
    { field: 'costType', header: 'cost_type' },
    { field: 'quantity', header: 'quantity', numeric: true },
    { field: 'amount', header: 'amount', numeric: true },
    { field: 'currency', header: 'currency' },
    { field: 'incurredAt', header: 'incurred_at' },
  ],
} as const satisfies Record<string, ColumnLayout>;
