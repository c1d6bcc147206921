/** Event types of the assets module; every event's subject is `asset/<id>` so one asset's events stay in order. */
export const AssetEvents = {
  created: 'asset.created',
  updated: 'asset.updated',
  statusChanged: 'asset.status_changed',
  moved: 'asset.moved',
  disposed: 'asset.disposed',
  meterReadingRecorded: 'asset.meter_reading.recorded',
} as const;
export type AssetEventType = (typeof AssetEvents)[keyof typeof AssetEvents];

export const assetSubject = (id: string): string => `asset/${id}`;
