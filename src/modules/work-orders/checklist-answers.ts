import { errors } from '../../shared/errors/index.js';
import type { FieldIssue } from '../../shared/errors/index.js';
import type { ChecklistItem } from './checklist-schemas.js';

export type AnswerValue = 'pass' | 'fail' | number | string;

export interface AnswerInput {
  key: string;
  /** null clears an earlier answer. */
  value: AnswerValue | null;
}

export interface AcceptedAnswer {
  key: string;
  value: AnswerValue | null;
}

interface LimitViolation {
  key: string;
  value: number;
  min: number | null;
  max: number | null;
  unit: string | null;
}

function structuralIssue(item: ChecklistItem, value: unknown): string | null {
  switch (item.kind) {
    case 'pass_fail':
      return value === 'pass' || value === 'fail' ? null : 'expected "pass" or "fail"';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expected a number';
    case 'text':
      return typeof value === 'string' && value.trim().length > 0 && value.length <= 2000
        ? null
        : 'expected text of 1 to 2000 characters';
    case 'photo':
      if (typeof value !== 'string' || value.trim().length === 0 || value.length > 2000)
        return 'expected a photo reference (URL or storage key) of at most 2000 characters';
      // A reference, never the picture itself: inline bytes would bloat every event and report.
      return /^data:/i.test(value.trim())
        ? 'a photo answer is a reference (URL or key), not inline data'
        : null;
  }
}

/**
 * Checks a batch of answers against the work order's checklist. Unknown keys and wrong value types are
 * 400s; a number outside its limits is a 422 naming the item, its limits and the value. Nothing is
 * accepted unless the whole batch is valid.
 */
export function validateAnswers(
  items: readonly ChecklistItem[],
  answers: readonly AnswerInput[],
): AcceptedAnswer[] {
  const byKey = new Map(items.map((item) => [item.key, item]));
  const issues: FieldIssue[] = [];
  const violations: LimitViolation[] = [];
  const seen = new Set<string>();
  const accepted: AcceptedAnswer[] = [];
  answers.forEach((answer, index) => {
    const item = byKey.get(answer.key);
    if (!item) {
      issues.push({ path: ['answers', index, 'key'], message: `no checklist item with key ${answer.key}` });
      return;
    }
    if (seen.has(answer.key)) {
      issues.push({ path: ['answers', index, 'key'], message: `key ${answer.key} is answered twice` });
      return;
    }
    seen.add(answer.key);
    if (answer.value === null) {
      accepted.push({ key: answer.key, value: null });
      return;
    }
    const problem = structuralIssue(item, answer.value);
    if (problem) {
      issues.push({ path: ['answers', index, 'value'], message: `${answer.key}: ${problem}` });
      return;
    }
    const value =
      item.kind === 'text' || item.kind === 'photo'
        ? (answer.value as string).trim()
        : (answer.value as AnswerValue);
    if (item.kind === 'number' && typeof value === 'number') {
      if ((item.min !== undefined && value < item.min) || (item.max !== undefined && value > item.max)) {
        violations.push({
          key: item.key,
          value,
          min: item.min ?? null,
          max: item.max ?? null,
          unit: item.unit ?? null,
        });
        issues.push({
          path: ['answers', index, 'value'],
          message: `${item.key} must be within ${describeLimits(item)}, got ${value}`,
        });
        return;
      }
    }
    accepted.push({ key: answer.key, value });
  });
  if (issues.length > 0 && violations.length === issues.length) {
    throw errors.unprocessable(
      `checklist answers out of limits: ${violations.map((v) => v.key).join(', ')}`,
      { outOfLimits: violations },
      issues,
    );
  }
  if (issues.length > 0)
    throw errors.validation('checklist answers do not fit the checklist', issues, {
      outOfLimits: violations,
    });
  return accepted;
}

function describeLimits(item: ChecklistItem): string {
  const unit = item.unit ? ` ${item.unit}` : '';
  if (item.min !== undefined && item.max !== undefined) return `[${item.min}, ${item.max}]${unit}`;
  if (item.min !== undefined) return `>= ${item.min}${unit}`;
  return `<= ${item.max ?? ''}${unit}`;
}

/** Keys of required items that have no answer yet, in checklist order. */
export function missingRequired(items: readonly ChecklistItem[], answered: ReadonlySet<string>): string[] {
  return items.filter((item) => item.required && !answered.has(item.key)).map((item) => item.key);
}
