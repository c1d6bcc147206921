/** Response and resolution clocks, in whole hours from when the request was reported. */
export interface SlaHours {
  responseHours: number | null;
  resolutionHours: number | null;
}

export interface SlaDueTimes extends SlaHours {
  responseDueAt: string | null;
  resolutionDueAt: string | null;
}

const addHours = (iso: string, hours: number | null) =>
  hours === null ? null : new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

/**
 * Due times are wall-clock hours after `reportedAt` (24/7 clocks; business-hours calendars are not
 * modelled yet, see docs/modules/work-orders.md).
 */
export function slaDueTimes(reportedAt: string, hours: SlaHours): SlaDueTimes {
  return {
    ...hours,
    responseDueAt: addHours(reportedAt, hours.responseHours),
    resolutionDueAt: addHours(reportedAt, hours.resolutionHours),
  };
}
