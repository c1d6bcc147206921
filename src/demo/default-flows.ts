import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { UBL_SOURCE_FIELDS } from '../connectors/file-exchange/connector/index.js';
import type { LoadedFlowConfig } from '../sync/flows/index.js';
import { validateFlowConfig } from '../sync/flows/index.js';

/** `config/flows/file-exchange.default.yaml`, found from this file in src/demo or dist/demo alike. */
export const DEFAULT_FLOWS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../config/flows/file-exchange.default.yaml',
);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Gives every outbound file-exchange entity without a `layout` (and without exploded lists) the columns of
 * its flow's mapping, in mapping order, so each file of a flow has the same columns even when a record
 * leaves an optional field empty. Mutates and returns the raw config object.
 */
export function withLayoutsFromMappings(raw: Json): Json {
  const connectors = isObject(raw.connectors) ? raw.connectors : {};
  const flows = Array.isArray(raw.flows) ? raw.flows : [];
  for (const flow of flows) {
    if (!isObject(flow) || flow.direction !== 'outbound' || typeof flow.connector !== 'string') continue;
    const entry = connectors[flow.connector];
    if (!isObject(entry) || entry.type !== 'file-exchange' || !isObject(entry.config)) continue;
    const target = isObject(flow.target) ? flow.target.entity : undefined;
    const fields =
      isObject(flow.mapping) && isObject(flow.mapping.fields) ? Object.keys(flow.mapping.fields) : [];
    if (typeof target !== 'string' || fields.length === 0) continue;
    const entities = isObject(entry.config.entities) ? entry.config.entities : (entry.config.entities = {});
    const settings = isObject(entities[target]) ? entities[target] : (entities[target] = {});
    if (settings.layout !== undefined || settings.explode !== undefined) continue;
    const ublSources: readonly string[] = settings.ubl === true ? UBL_SOURCE_FIELDS : [];
    settings.layout = fields.filter((f) => !ublSources.includes(f)).map((f) => ({ field: f, header: f }));
  }
  return raw;
}

export interface DefaultFlowOptions {
  /** Where the exchange folders live (`<data dir>/exchange`); replaces the file's `root`. */
  exchangeRoot: string;
  file?: string;
}

/** The built-in flows of the Quick start, pointed at this data folder and validated like any flow file. */
export async function loadDefaultFlowConfig(options: DefaultFlowOptions): Promise<LoadedFlowConfig> {
  const file = options.file ?? DEFAULT_FLOWS_FILE;
  const raw: unknown = YAML.parse(await readFile(file, 'utf8'));
  if (!isObject(raw)) throw new Error(`${file} does not hold a flow config object`);
  for (const entry of Object.values(isObject(raw.connectors) ? raw.connectors : {})) {
    if (isObject(entry) && entry.type === 'file-exchange' && isObject(entry.config))
      entry.config.root = options.exchangeRoot;
  }
  return validateFlowConfig(withLayoutsFromMappings(raw), { sourceName: file });
}
