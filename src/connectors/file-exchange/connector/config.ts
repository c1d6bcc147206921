import path from 'node:path';
import { z } from 'zod';
import { flowNamePattern } from '../file-naming.js';
import { ExportFormat } from '../manifest.js';
import { ublPartySchema } from '../ubl/ubl-document.js';

/**
 * What a `file-exchange` connector entry of a flow config holds. Every folder is under `root`; names
 * below it are plain relative names (no `..`), so a config cannot point the hub outside its exchange area.
 */
const relativeFolder = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'a plain folder name below root (letters, digits, . _ -)');

const header = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/, 'a column name: a letter or _, then letters, digits, _ . -');

export const layoutColumnSchema = z
  .object({
    /** Dotted path into the row (the mapped payload, or `<as>.<field>` for an exploded list element). */
    field: z.string().min(1).max(200),
    header,
    /** Omit to decide per file: numeric when every value in the column is a number. */
    numeric: z.boolean().optional(),
  })
  .strict();

export const explodeSchema = z
  .object({
    /** A top-level payload field holding a list; each element becomes its own row. */
    from: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a top-level payload field name'),
    /** The row key the element is put under (layout fields read `<as>.<field>`). */
    as: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain key name'),
    /** Written as `row_type` on the rows of this list, so rows of several lists stay apart. */
    type: z.string().min(1).max(60).optional(),
  })
  .strict();

export const entitySettingsSchema = z
  .object({
    format: z.enum([ExportFormat.csv, ExportFormat.jsonl, ExportFormat.xml]).optional(),
    /** The flow part of file names (`<stamp>_<file>_<seq>.<ext>`); default: the entity, `_` → `-`. */
    file: z.string().regex(flowNamePattern, 'lower-case letters, digits and "-"').optional(),
    /** Columns in order; default: the payload's own fields in the order the mapping produced them. */
    layout: z.array(layoutColumnSchema).min(1).max(500).optional(),
    /** One row per element of these payload lists (billing document lines, work-order labor and parts). */
    explode: z.array(explodeSchema).min(1).max(5).optional(),
    /** Also write one UBL 2.1 Invoice XML per record, from the payload's `invoice` object. */
    ubl: z.boolean().default(false),
    csv: z
      .object({ delimiter: z.enum([',', ';', '\t', '|']).optional(), bom: z.boolean().optional() })
      .strict()
      .optional(),
  })
  .strict();

export const fileExchangeConfigSchema = z
  .object({
    /** The exchange root; outbound/, inbox/, archive/ and quarantine/ live below it. */
    root: z.string().min(1).max(4096),
    /** Folder below root that outbound files are written to. */
    outbound: relativeFolder.default('outbound'),
    /** Format of entities without their own setting. */
    defaultFormat: z.enum([ExportFormat.csv, ExportFormat.jsonl, ExportFormat.xml]).default('csv'),
    entities: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'entity names are lower_snake_case'),
        entitySettingsSchema,
      )
      .default({}),
    ubl: z
      .object({
        /** The invoicing company, used when a billing document's `invoice` names no supplier. */
        supplier: ublPartySchema.optional(),
        /** Flow part of UBL file names. */
        file: z.string().regex(flowNamePattern).default('ubl-invoices'),
      })
      .strict()
      .default({ file: 'ubl-invoices' }),
    inbound: z
      .object({
        /** Watch `<root>/inbox` (the hub's FileExchangeWatcher). */
        enabled: z.boolean().default(true),
        /** The schedule; two quiet polls take a file, so this is also the settle time. */
        everySeconds: z.number().int().min(1).max(3600).default(5),
        /** Only take files that come with a `<file>.manifest.json`. */
        requireManifest: z.boolean().default(false),
      })
      .strict()
      .default({ enabled: true, everySeconds: 5, requireManifest: false }),
    /** How long written idempotency keys are remembered (a re-sent batch within it is a replay). */
    ledgerRetentionDays: z.number().int().min(1).max(365).default(14),
  })
  .strict();

export type FileExchangeConfig = z.output<typeof fileExchangeConfigSchema>;
export type FileExchangeConfigInput = z.input<typeof fileExchangeConfigSchema>;
export type EntitySettings = z.output<typeof entitySettingsSchema>;
export type LayoutColumn = z.output<typeof layoutColumnSchema>;
export type ExplodeSpec = z.output<typeof explodeSchema>;

export interface ExchangeFolders {
  root: string;
  outbound: string;
  inbox: string;
  archive: string;
  quarantine: string;
}

/** Absolute folders of a config (relative roots resolve against the working directory). */
export function exchangeFoldersOf(config: Pick<FileExchangeConfig, 'root' | 'outbound'>): ExchangeFolders {
  const root = path.resolve(config.root);
  return {
    root,
    outbound: path.join(root, config.outbound),
    inbox: path.join(root, 'inbox'),
    archive: path.join(root, 'archive'),
    quarantine: path.join(root, 'quarantine'),
  };
}

/** The file-name flow part of an entity: configured, else `stock_movement` → `stock-movement`. */
export function fileFlowOf(config: FileExchangeConfig, entity: string): string {
  return config.entities[entity]?.file ?? entity.toLowerCase().replace(/_/g, '-');
}

export function settingsOf(config: FileExchangeConfig, entity: string): EntitySettings {
  return config.entities[entity] ?? { ubl: false };
}
