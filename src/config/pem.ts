import { X509Certificate } from 'node:crypto';
import type { z } from 'zod';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM text, or why it has none that Node can read. A CA text without a
 * certificate must never reach Node's TLS options: an empty `ca` makes Node trust its bundled
 * public roots (and NODE_EXTRA_CA_CERTS) instead, so it is refused at load.
 */
export function pemCertificates(text: string): { ok: true; certificates: X509Certificate[] } | { ok: false; why: string } {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return { ok: false, why: 'holds no certificate (no -----BEGIN CERTIFICATE----- block)' };
  const certificates: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    try {
      certificates.push(new X509Certificate(block));
    } catch (error) {
      return { ok: false, why: `certificate ${index + 1} cannot be read: ${(error as Error).message}` };
    }
  }
  return { ok: true, certificates };
}

/**
 * The refinement of every CA a config names (a JOC's `tls.caFile`, the web config's `client_ca`
 * and `client_ca_file`): it must hold certificates, or Node would trust its default roots instead.
 */
export function holdsCertificates(text: string, ctx: z.core.$RefinementCtx<unknown>): void {
  const read = pemCertificates(text);
  if (!read.ok) ctx.addIssue({ code: 'custom', message: read.why });
}
