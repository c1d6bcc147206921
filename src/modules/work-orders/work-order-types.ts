export const workOrderTypes = ['preventive', 'corrective', 'installation', 'inspection'] as const;
export type WorkOrderType = (typeof workOrderTypes)[number];

export const workOrderPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type WorkOrderPriority = (typeof workOrderPriorities)[number];

export const laborTypes = ['normal', 'overtime', 'travel'] as const;
export type LaborType = (typeof laborTypes)[number];
