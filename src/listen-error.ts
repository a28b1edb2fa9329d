import type { ListenConfig } from './config/types';

/**
 * A plain sentence for an error of the server's `listen()`, naming the configuration keys to
 * change, as configuration errors are reported; null when the error is no listen error. The
 * JSON log line alone ("cannot start", EADDRINUSE) leaves a newcomer guessing which setting it is.
 */
export function describeListenError(err: unknown, listen: Pick<ListenConfig, 'host' | 'port'>): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const address = `${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `cannot listen on ${address}: listen.port ${listen.port} is in use by another process (EADDRINUSE); stop that process or set listen.port to a free port`;
    case 'EACCES':
      return `cannot listen on ${address}: listen.port ${listen.port} needs privileges this user lacks (EACCES); ports below 1024 usually do, use one from 1024 up`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${address}: listen.host ${listen.host} is no address of this machine (EADDRNOTAVAIL); use one of its addresses, or 0.0.0.0 or :: for all`;
    default:
      return null;
  }
}
