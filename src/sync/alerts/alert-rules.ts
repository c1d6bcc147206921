import { z } from 'zod';
import { errors } from '../../shared/errors/index.js';

/** The closed set of sync alert rules; thresholds and durations are configurable. */
export const AlertRuleName = {
  /** Events in the dead-letter queue (count). */
  deadLetters: 'dead_letters',
  /** Age of the oldest undelivered event (seconds). */
  lag: 'lag',
  /** Failed attempts / attempts over the rule's window (0..1). */
  errorRate: 'error_rate',
} as const;
export type AlertRuleName = (typeof AlertRuleName)[keyof typeof AlertRuleName];

export interface AlertRule {
  name: AlertRuleName;
  enabled: boolean;
  /** Breached when the value is strictly greater. */
  threshold: number;
  /** How long the breach must last before the alert fires (0: at once). */
  forSeconds: number;
  /** A firing alert is notified again after this long (0: never). */
  reminderSeconds: number;
  /** error_rate: the window attempts are counted over. */
  windowSeconds: number;
  /** error_rate: fewer attempts than this in the window never breach (one failure of two is not 50 %). */
  minAttempts: number;
}

export const defaultAlertRules: readonly AlertRule[] = [
  {
    name: 'dead_letters',
    enabled: true,
    threshold: 0,
    forSeconds: 600,
    reminderSeconds: 3600,
    windowSeconds: 300,
    minAttempts: 0,
  },
  {
    name: 'lag',
    enabled: true,
    threshold: 300,
    forSeconds: 0,
    reminderSeconds: 3600,
    windowSeconds: 300,
    minAttempts: 0,
  },
  {
    name: 'error_rate',
    enabled: true,
    threshold: 0.05,
    forSeconds: 0,
    reminderSeconds: 3600,
    windowSeconds: 300,
    minAttempts: 20,
  },
];

const seconds = z
  .number()
  .int()
  .min(0)
  .max(30 * 86_400);
const ruleOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  threshold: z.number().min(0).optional(),
  forSeconds: seconds.optional(),
  reminderSeconds: seconds.optional(),
  windowSeconds: z.number().int().min(10).max(86_400).optional(),
  minAttempts: z.number().int().min(0).optional(),
});

/** Alert config: per rule name, the parts that differ from the defaults. */
export const alertRulesConfigSchema = z.strictObject({
  dead_letters: ruleOverrideSchema.optional(),
  lag: ruleOverrideSchema.optional(),
  error_rate: ruleOverrideSchema
    .refine((r) => r.threshold === undefined || r.threshold <= 1, {
      message: 'a rate is at most 1',
      path: ['threshold'],
    })
    .optional(),
});
export type AlertRulesConfig = z.input<typeof alertRulesConfigSchema>;

/** The rules to evaluate: defaults with the config's overrides; invalid config is a `validation` error. */
export function resolveAlertRules(config: unknown = {}): AlertRule[] {
  const parsed = alertRulesConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw errors.validation(
      'invalid alert rules',
      parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
        message: i.message,
      })),
    );
  }
  return defaultAlertRules.map((rule) => ({ ...rule, ...parsed.data[rule.name] }));
}
