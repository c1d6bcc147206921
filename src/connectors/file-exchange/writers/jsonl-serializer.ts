import { assertLayout, projectRecord, type ColumnLayout } from '../column-layout.js';
import { FileExchangeError, FileRefusal } from '../file-exchange-error.js';
import { textProblem } from '../text-rules.js';
import { withIndex } from './csv-serializer.js';
import type { RecordSerializer } from './record-serializer.js';

/** One JSON object per line, keys in layout order, values as text (null when absent). */
export function createJsonlSerializer(options: { layout: ColumnLayout }): RecordSerializer {
  assertLayout(options.layout);
  const layout = options.layout;
  return {
    format: 'jsonl',
    begin: () => '',
    records(batch, firstIndex) {
      let out = '';
      batch.forEach((record, index) => {
        try {
          const cells = projectRecord(record, layout);
          const entries = layout.map((column, i) => {
            const cell = cells[i] ?? null;
            const problem = cell === null ? undefined : textProblem(cell);
            if (problem !== undefined)
              throw new FileExchangeError(
                FileRefusal.unrepresentableValue,
                `column ${column.header}: ${problem}`,
              );
            return [column.header, cell] as const;
          });
          out += `${JSON.stringify(Object.fromEntries(entries))}\n`;
        } catch (error) {
          throw withIndex(error, firstIndex + index);
        }
      });
      return out;
    },
    end: () => '',
  };
}
