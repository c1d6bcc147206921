import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { connectorRegistry } from '../../connectors/registry.js';
import type { AnyConnector } from '../../connectors/sdk/index.js';
import { flowConfigError } from './config-issues.js';
import type { ConfigIssue, IssuePath } from './config-issues.js';
import { crossCheck } from './cross-check.js';
import type { LoadedFlow } from './cross-check.js';
import { flowConfigSchema } from './flow-schema.js';
import type { FlowConfig } from './flow-schema.js';

export interface LoadedFlowConfig {
  /** The input as written (transforms in their `{ lookup: {...} }` form), for showing and re-saving. */
  raw: unknown;
  /** The validated config with defaults filled in and transforms normalised to `{ kind, args }`. */
  config: FlowConfig;
  /** Every flow, compiled, in file order (disabled ones included; check `enabled`). */
  flows: LoadedFlow[];
  /** Flows by name, for the dispatcher and the API. */
  byName: ReadonlyMap<string, LoadedFlow>;
}

export interface LoadOptions {
  registry?: Readonly<Record<string, AnyConnector>>;
  /** Shown in errors (`flows.yaml:12:5`); defaults to the file path. */
  sourceName?: string;
}

type Locate = (path: IssuePath) => string | undefined;

function validate(input: unknown, options: LoadOptions, locate: Locate = () => undefined): LoadedFlowConfig {
  const parsed = flowConfigSchema.safeParse(input);
  let issues: ConfigIssue[];
  let result: LoadedFlowConfig | undefined;
  if (!parsed.success) {
    issues = parsed.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: i.message,
    }));
  } else {
    const checked = crossCheck(parsed.data, options.registry ?? connectorRegistry);
    issues = checked.issues;
    result = {
      raw: input,
      config: parsed.data,
      flows: checked.flows,
      byName: new Map(checked.flows.map((f) => [f.name, f])),
    };
  }
  if (issues.length > 0 || result === undefined) {
    const located = issues.map((i) => {
      const location = locate(i.path);
      return location === undefined ? i : { ...i, location };
    });
    throw flowConfigError(located, options.sourceName);
  }
  return result;
}

/** Validates a config object (the API's request body). Throws an AppError listing every problem. */
export function validateFlowConfig(input: unknown, options: LoadOptions = {}): LoadedFlowConfig {
  return validate(input, options);
}

/** Finds the deepest YAML node on an issue's path and reports its line and column. */
function locator(doc: Document, lines: LineCounter, sourceName: string): Locate {
  return (path) => {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return `${sourceName}:${line}:${col}`;
      }
    }
    return undefined;
  };
}

/** Parses YAML or JSON text (JSON is YAML) and validates it; errors carry `name:line:col`. */
export function parseFlowConfigText(text: string, options: LoadOptions = {}): LoadedFlowConfig {
  const sourceName = options.sourceName ?? 'flow config';
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e): ConfigIssue => {
      const { line, col } = lines.linePos(e.pos[0]);
      return {
        path: [],
        message: `${e.code}: ${e.message.split('\n')[0] ?? ''}`,
        location: `${sourceName}:${line}:${col}`,
      };
    });
    throw flowConfigError(issues, sourceName);
  }
  return validate(
    doc.toJS({ maxAliasCount: 100 }),
    { ...options, sourceName },
    locator(doc, lines, sourceName),
  );
}

/** Loads flow config from a YAML/JSON file path (string or file URL), or validates an object. */
export async function loadFlowConfig(
  fileOrObject: string | URL | object,
  options: LoadOptions = {},
): Promise<LoadedFlowConfig> {
  if (typeof fileOrObject === 'string' || fileOrObject instanceof URL) {
    const path = fileOrObject instanceof URL ? fileURLToPath(fileOrObject) : fileOrObject;
    const text = await readFile(path, 'utf8');
    return parseFlowConfigText(text, { ...options, sourceName: options.sourceName ?? path });
  }
  return validateFlowConfig(fileOrObject, options);
}
