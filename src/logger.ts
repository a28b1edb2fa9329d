import pino from 'pino';
import type { LogLevel } from './config/types';

export type Logger = pino.Logger;

/**
 * Paths pino censors in every log line. Secrets are also `Secret` objects that print as
 * `[REDACTED]`; this list is the second line of defence for plain strings that slip through.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'authorization',
  'headers.authorization',
  'headers["x-access-token"]',
  'headers["access_token"]',
];

/**
 * The exporter's root logger: JSON lines on stderr (stdout is kept for `--once`, which prints
 * the exposition there), level from `log.level`, secrets redacted.
 */
export function createLogger(level: LogLevel | 'silent', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: 'jobscheduler-exporter',
      level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
