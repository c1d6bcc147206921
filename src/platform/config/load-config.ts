import fs from 'node:fs';
import YAML from 'yaml';
import { configSchema, envBindings } from './config-schema.js';
import type { AppConfig } from './config-schema.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** A YAML or JSON file; FIELDSYNC_CONFIG names one when this is absent. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Highest precedence, e.g. CLI flags. */
  overrides?: Record<string, unknown>;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function readFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`config file ${file} cannot be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid YAML/JSON: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`config file ${file} must hold an object`);
  return parsed as Record<string, unknown>;
}

/** Loads and validates the configuration; throws ConfigError naming every bad setting and its source. */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.FIELDSYNC_CONFIG;
  const raw: Record<string, unknown> = file ? readFile(file) : {};
  const sourceOf = new Map<string, string>();
  for (const [name, dotted] of Object.entries(envBindings)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      setPath(raw, dotted, value);
      sourceOf.set(dotted, `env ${name}`);
    }
  }
  for (const [dotted, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    setPath(raw, dotted, value);
    sourceOf.set(dotted, 'command line');
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const keys =
        issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k].join('.')) : [];
      const dotted = issue.path.join('.');
      const where = sourceOf.get(dotted) ?? (file ? `file ${file}` : 'defaults');
      if (keys.length > 0) return `unknown setting ${keys.join(', ')} (${where})`;
      return `invalid setting ${dotted || '(root)'} (${where}): ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}
