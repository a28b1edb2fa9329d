import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger';

/** A logger that keeps every JSON line it writes, for assertions on what reached the log. */
export function captureLogger(level: Parameters<typeof createLogger>[0] = 'trace'): { logger: Logger; lines: () => string[]; records: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger(level, stream);
  const lines = (): string[] => chunks.join('').split('\n').filter((l) => l.length > 0);
  return { logger, lines, records: () => lines().map((l) => JSON.parse(l) as Record<string, unknown>) };
}
