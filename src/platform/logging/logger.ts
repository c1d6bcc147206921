import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; secrets are redacted by path wherever they might appear. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'fieldsync' },
      redact: {
        paths: [
          'req.headers.authorization',
          '*.password',
          '*.token',
          '*.secret',
          '*.apiKey',
          'config.*.password',
        ],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? process.stdout,
  );
}
