import { assertLayout, projectRecord, type ColumnLayout } from '../column-layout.js';
import { FileExchangeError, FileRefusal } from '../file-exchange-error.js';
import { xmlTextProblem } from '../text-rules.js';
import { withIndex } from './csv-serializer.js';
import type { RecordSerializer } from './record-serializer.js';
import { escapeXmlAttr, escapeXmlText } from './xml-text.js';

export interface XmlSerializerOptions {
  layout: ColumnLayout;
  /** Default `records`. */
  rootElement?: string;
  /** Default `record`. */
  recordElement?: string;
  /** Written as attributes of the root element (e.g. flow, schemaVersion). */
  rootAttributes?: Readonly<Record<string, string>>;
}

const elementPattern = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;

/**
 * `<records><record><header>value</header>...</record>...</records>`: one element per column, absent
 * values omitted, empty strings as empty elements, whitespace kept as is.
 */
export function createXmlSerializer(options: XmlSerializerOptions): RecordSerializer {
  assertLayout(options.layout);
  const layout = options.layout;
  const root = options.rootElement ?? 'records';
  const recordElement = options.recordElement ?? 'record';
  for (const name of [root, recordElement]) {
    if (!elementPattern.test(name))
      throw new FileExchangeError(FileRefusal.invalidLayout, `"${name}" is not a valid XML element name`);
  }
  const attrs = Object.entries(options.rootAttributes ?? {})
    .map(([key, value]) => ` ${key}="${escapeXmlAttr(value)}"`)
    .join('');
  return {
    format: 'xml',
    begin: () => `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attrs}>\n`,
    records(batch, firstIndex) {
      let out = '';
      batch.forEach((record, index) => {
        try {
          const cells = projectRecord(record, layout);
          let fields = '';
          layout.forEach((column, i) => {
            const cell = cells[i] ?? null;
            if (cell === null) return;
            const problem = xmlTextProblem(cell);
            if (problem !== undefined)
              throw new FileExchangeError(
                FileRefusal.unrepresentableValue,
                `column ${column.header}: ${problem}`,
              );
            fields += `<${column.header}>${escapeXmlText(cell)}</${column.header}>`;
          });
          out += `  <${recordElement}>${fields}</${recordElement}>\n`;
        } catch (error) {
          throw withIndex(error, firstIndex + index);
        }
      });
      return out;
    },
    end: () => `</${root}>\n`,
  };
}
