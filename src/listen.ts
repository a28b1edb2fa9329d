import type { ListenConfig } from './config/types';

/**
 * A plain sentence for an error of the server's `listen()`, naming the configuration keys to
 * change, as configuration errors are reported; null when the error is no listen error. The
 * JSON log line alone ("cannot start", EADDRINUSE) leaves a newcomer guessing which setting it is.
 */
export function describeListenError(err: unknown, listen: Pick<ListenConfig, 'host' | 'port'>): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const address = `${hostInUrl(listen.host)}:${listen.port}`;
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

/** `0.0.0.0` and `::`: the server listens on every interface, not on one address. */
function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Where the server listens, as bound: `http://0.0.0.0:9446` when it listens on all IPv4
 * interfaces. The start-up line says this, not a loopback URL: "listening on 127.0.0.1" would
 * hide that the port is open on every interface.
 */
export function listenAddress(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${hostInUrl(host)}:${port}`;
}

/** A URL that reaches the server from this machine: the loopback address when it listens on all interfaces. */
export function localUrl(scheme: 'http' | 'https', host: string, port: number): string {
  // 127.0.0.1 for :: too: a dual-stack socket on :: takes IPv4 connections as well.
  const shown = isWildcard(host) ? '127.0.0.1' : hostInUrl(host);
  return `${scheme}://${shown}:${port}`;
}

/** The fields of the start-up log line: the bound address and, when it is a wildcard, the interfaces and a local URL. */
export function listenLogFields(scheme: 'http' | 'https', host: string, port: number): Record<string, string> {
  const address = listenAddress(scheme, host, port);
  if (!isWildcard(host)) return { address };
  return { address, interfaces: host === '::' ? 'all (IPv6 and IPv4)' : 'all IPv4', localUrl: localUrl(scheme, host, port) };
}
