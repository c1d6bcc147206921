import { AppError } from '../../shared/errors/index.js';

export type IssuePath = (string | number)[];
export interface ConfigIssue {
  path: IssuePath;
  message: string;
  /** `file:line:col` when the config came from text. */
  location?: string;
}

const bare = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['flows', 2, 'mapping', 'fields', 'cost_center']` → `flows[2].mapping.fields.cost_center`. */
export function formatIssuePath(path: IssuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (bare.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${formatIssuePath(issue.path)}: ${issue.message}${issue.location === undefined ? '' : ` (${issue.location})`}`;
}

/** One error listing every problem, each with its exact path, so an operator fixes all in one pass. */
export function flowConfigError(issues: readonly ConfigIssue[], sourceName?: string): AppError {
  const lines = issues.map((i) => `  ${formatIssue(i)}`);
  const where = sourceName === undefined ? '' : ` (${sourceName})`;
  return new AppError(
    'validation',
    `invalid flow config${where}: ${issues.length} problem(s)\n${lines.join('\n')}`,
    {
      issues: issues.map((i) => ({ path: i.path, message: i.message })),
      details: { problems: issues.map(formatIssue) },
    },
  );
}
