import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The subject alternative names of a certificate as exporter-toolkit compares them with
 * `client_allowed_sans`: DNS names, e-mail addresses, IP addresses (in Go's form: IPv6
 * compressed) and URIs, each as plain text.
 */
export function subjectAltNames(raw: Buffer): string[] {
  const text = new X509Certificate(raw).subjectAltName;
  if (!text) return [];
  const names: string[] = [];
  // Node writes `DNS:a, IP Address:1.2.3.4, URI:"x,y"`, quoting (as JSON) a value with a comma or quote.
  for (const [, kind, value] of text.matchAll(/(DNS|email|IP Address|URI):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g)) {
    const plain = value!.startsWith('"') ? (JSON.parse(value!) as string) : value!;
    names.push(kind === 'IP Address' ? canonicalIp(plain) : plain);
  }
  return names;
}

/** `0:0:0:0:0:0:0:1` → `::1`, as Go's net.IP.String() writes it; IPv4 unchanged. */
function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

/** True when the certificate carries one of `allowed` among its SANs. */
export function hasAllowedSan(raw: Buffer, allowed: readonly string[]): boolean {
  return subjectAltNames(raw).some((name) => allowed.includes(name));
}
