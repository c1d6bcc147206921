import { openExportFile, type OpenExportFileOptions } from '../atomic-writer.js';
import type { ColumnLayout } from '../column-layout.js';
import type { FileManifest } from '../manifest.js';
import { createCsvSerializer, type CsvSerializerOptions } from './csv-serializer.js';
import { createJsonlSerializer } from './jsonl-serializer.js';
import type { RecordSerializer } from './record-serializer.js';
import { createXmlSerializer, type XmlSerializerOptions } from './xml-serializer.js';

export interface ExportRecordsOptions extends Omit<OpenExportFileOptions, 'subject'> {
  layout: ColumnLayout;
  records: Iterable<unknown> | AsyncIterable<unknown>;
  csv?: Omit<CsvSerializerOptions, 'layout'>;
  xml?: Omit<XmlSerializerOptions, 'layout'>;
}

export interface ExportResult {
  path: string;
  manifest: FileManifest;
}

const BATCH_RECORDS = 500;
const FLUSH_CHARS = 256 * 1024;

export function serializerFor(
  options: Pick<ExportRecordsOptions, 'format' | 'layout' | 'csv' | 'xml' | 'flow'>,
): RecordSerializer {
  switch (options.format) {
    case 'csv':
      return createCsvSerializer({ ...options.csv, layout: options.layout });
    case 'jsonl':
      return createJsonlSerializer({ layout: options.layout });
    case 'xml':
      return createXmlSerializer({
        rootAttributes: { flow: options.flow, schemaVersion: '1' },
        ...options.xml,
        layout: options.layout,
      });
  }
}

/**
 * Streams records into one new exchange file and publishes it atomically with its manifest. Resolves
 * when the file is durable: only then may the caller acknowledge the records. Any failure (a record that
 * cannot be represented, a disk error) removes the partial file and rejects; nothing half-written is left.
 */
export async function exportRecords(options: ExportRecordsOptions): Promise<ExportResult> {
  const serializer = serializerFor(options);
  const file = await openExportFile(options);
  try {
    let pending = serializer.begin();
    let batch: unknown[] = [];
    let written = 0;
    const flushBatch = (): void => {
      if (batch.length === 0) return;
      pending += serializer.records(batch, written);
      file.addRecords(batch.length);
      written += batch.length;
      batch = [];
    };
    for await (const record of options.records) {
      batch.push(record);
      if (batch.length >= BATCH_RECORDS) {
        flushBatch();
        if (pending.length >= FLUSH_CHARS) {
          await file.write(pending);
          pending = '';
        }
      }
    }
    flushBatch();
    pending += serializer.end();
    if (pending.length > 0) await file.write(pending);
    const manifest = await file.commit();
    return { path: file.path, manifest };
  } catch (error) {
    await file.abort();
    throw error;
  }
}
