// Filled in by the work-orders module: one interface per table, composed into Database.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WorkOrdersTables {}
