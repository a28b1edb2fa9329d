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
 * The format of every log line of the project's programs (the exporter, the simulator, the
 * demo), so that one parser reads them all: `level` as a word, ISO `time`, `pid`, `name`, and
 * secrets redacted.
 */
export function logFormat(name: string): pino.LoggerOptions<never, boolean> {
  return {
    name,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * The exporter's root logger: JSON lines on stderr (stdout is kept for `--once`, which prints
 * the exposition there), level from `log.level`, secrets redacted.
 */
export function createLogger(level: LogLevel | 'silent', destination?: pino.DestinationStream): Logger {
  return pino({ ...logFormat('jobscheduler-exporter'), level }, destination ?? pino.destination({ fd: 2, sync: true }));
}
