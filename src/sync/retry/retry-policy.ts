import { z } from 'zod';

export const JitterMode = { full: 'full', equal: 'equal', none: 'none' } as const;
export type JitterMode = (typeof JitterMode)[keyof typeof JitterMode];

/**
 * How one flow retries. Validated with precise messages because a wrong policy either hammers an ERP
 * or parks records for days.
 */
export const retryPolicySchema = z
  .object({
    /** Counted attempts (see decideOnFailure) before a record goes to the dead-letter queue. */
    maxAttempts: z.number().int().min(1).max(100).default(10),
    baseDelayMs: z.number().int().min(1).max(3_600_000).default(1000),
    maxDelayMs: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3_600_000)
      .default(300_000),
    jitter: z.enum(['full', 'equal', 'none']).default('full'),
    /** Pause after an auth failure before the connector is probed again (avoids account lock-outs). */
    authDelayMs: z
      .number()
      .int()
      .min(1000)
      .max(24 * 3_600_000)
      .default(60_000),
    /** Conflicts are retried a few times (a lost optimistic-lock race), then dead-lettered for a person. */
    conflictMaxAttempts: z.number().int().min(1).max(100).default(3),
  })
  .strict()
  .refine((p) => p.baseDelayMs <= p.maxDelayMs, {
    message: 'baseDelayMs must not exceed maxDelayMs',
    path: ['baseDelayMs'],
  });

export type RetryPolicy = z.output<typeof retryPolicySchema>;
export type RetryPolicyInput = z.input<typeof retryPolicySchema>;

export const defaultRetryPolicy: RetryPolicy = retryPolicySchema.parse({});
