import { Decimal } from 'decimal.js';
import type { ReadSpec, Row } from '../../runtime/reader.js';
import { id, related, text } from '../../runtime/rows.js';

const tagAtEnd = /\[fieldsync:([^\]]+)\]$/;

/** Timesheet lines (labor), with hours as a decimal string and the Fieldsync reference when we wrote them. */
export const timesheetReadSpec: ReadSpec = {
  model: 'timesheet.line',
  domain: [],
  fields: ['employee', 'employee.party', 'date', 'duration', 'work', 'work.name', 'description'],
  toData(rows: readonly Row[]) {
    return rows.map((row) => {
      const seconds = typeof row.duration === 'number' ? row.duration : 0;
      const description = text(row.description);
      return {
        id: row.id,
        employee: id(row.employee),
        date: text(row.date),
        durationSeconds: seconds,
        hours: new Decimal(seconds).div(3600).toDecimalPlaces(4).toFixed(),
        work: id(row.work),
        workName: text(related(row, 'work.name')),
        description,
        fieldsyncReference: description ? (tagAtEnd.exec(description)?.[1] ?? null) : null,
      };
    });
  },
};
