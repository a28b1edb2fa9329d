/**
 * Persistent fault injection: every fault JOC Cockpit, its servlet container or the network in
 * between can produce, set per endpoint (or for all of them) until it is replaced or cleared. The
 * exporter's error paths are tested against these; `failNext` stays the tool for one scripted reply.
 *
 * This module holds the table of faults, the replies of the faults that are ordinary HTTP answers
 * and the socket-level writers (cut-off answer, connection reset, streamed oversize answer); the
 * handler (server.ts) decides when a fault applies.
 */
import type { ServerResponse } from 'node:http';
import type { Reply } from './http-core';
import { containerErrorPage, ENDPOINTS, err420, iso, JOC_CODES, MESSAGES } from './shapes';

/** The fault kinds, for scripts that pick one at random. */
export const FAULT_KINDS = [
  'delay',
  'html500',
  'malformedJson',
  'truncated',
  'status434',
  'masterUnreachable',
  'databaseUnreachable',
  'reset',
  'oversize',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type Fault =
  /** Answer normally, after `ms` (cut short by `close()`). */
  | { kind: 'delay'; ms: number }
  /** 500 text/html: the servlet container's error page. */
  | { kind: 'html500' }
  /** 200 application/json with a body that is not JSON. */
  | { kind: 'malformedJson' }
  /** 200 with the Content-Length of the whole answer, part of it sent, then the socket destroyed. */
  | { kind: 'truncated' }
  /** 434 Err420 with JOC's JobSchedulerConnectionResetException (NOTES §4, §5.2). */
  | { kind: 'status434' }
  /** 420 JOC-402: JOC cannot connect to the Master (JS7: the Controller). */
  | { kind: 'masterUnreachable' }
  /** 420 JOC-409 (JS7: JOC-411): JOC cannot reach its database (NOTES §4, §5.9; JS7-NOTES §0.1). */
  | { kind: 'databaseUnreachable' }
  /** The connection is reset without any answer. */
  | { kind: 'reset' }
  /** 200 application/json, valid JSON of at least `bytes` bytes, streamed. */
  | { kind: 'oversize'; bytes: number };

/** Every kind has its member in `Fault` and vice versa (a compile-time check). */
const KINDS_MATCH: [FaultKind, Fault['kind']] extends [Fault['kind'], FaultKind] ? true : never = true;
void KINDS_MATCH;

/** Where a fault is set: one endpoint, or '*' for all of them. */
export type FaultTarget = string;

/**
 * The faults in force; a fault set for an endpoint wins over the one set for '*'. `endpoints` are
 * the ones a fault may be set for (default: the JOC 1.13 simulator's).
 */
export class FaultTable {
  readonly #faults = new Map<FaultTarget, Fault>();

  constructor(private readonly endpoints: readonly string[] = ENDPOINTS) {}

  /** Sets (or with null clears) the fault of `target`; throws on an unknown endpoint or a bad fault. */
  set(target: FaultTarget, fault: Fault | null): void {
    if (target !== '*' && !this.endpoints.includes(target)) throw new Error(`unknown endpoint ${target}`);
    if (fault === null) this.#faults.delete(target);
    else this.#faults.set(target, checkedFault(fault));
  }

  clear(): void {
    this.#faults.clear();
  }

  lookup(endpoint: string): Fault | undefined {
    return this.#faults.get(endpoint) ?? this.#faults.get('*');
  }
}

/** A copy of `fault` (later changes to the caller's object do not leak in), or an error for nonsense. */
function checkedFault(fault: Fault): Fault {
  if (!(FAULT_KINDS as readonly string[]).includes(fault.kind)) throw new Error(`unknown fault kind ${String(fault.kind)}`);
  if (fault.kind === 'delay' && !(Number.isFinite(fault.ms) && fault.ms >= 0)) throw new Error(`delay needs ms >= 0, got ${fault.ms}`);
  if (fault.kind === 'oversize' && !(Number.isSafeInteger(fault.bytes) && fault.bytes >= 0)) {
    throw new Error(`oversize needs a whole number of bytes >= 0, got ${fault.bytes}`);
  }
  return { ...fault };
}

/** The faults that are a plain HTTP answer (the others act on the socket or on the normal answer). */
export type ReplyFault = Exclude<Fault, { kind: 'delay' | 'truncated' | 'reset' | 'oversize' }>;

/** The error codes and messages of the faults that are JOC answers; they differ between 1.x and JS7. */
export interface FaultTexts {
  connectionCode: string;
  connectionReset(serverUrl: string): string;
  connectionRefused(serverUrl: string): string;
  databaseCode: string;
  databaseUnreachable: string;
}

/** JOC 1.13's (NOTES §4). */
export const V1_FAULT_TEXTS: FaultTexts = {
  connectionCode: JOC_CODES.CONNECTION,
  connectionReset: MESSAGES.connectionReset,
  connectionRefused: MESSAGES.connectionRefused,
  databaseCode: JOC_CODES.DATABASE,
  databaseUnreachable: MESSAGES.databaseUnreachable,
};

/**
 * The answer of a plain-answer fault; `masterUrl` names the Master (JS7: the Controller) in JOC's
 * connection messages.
 */
export function faultReply(fault: ReplyFault, now: number, masterUrl: string, texts: FaultTexts = V1_FAULT_TEXTS): Reply {
  switch (fault.kind) {
    case 'html500':
      return { status: 500, body: containerErrorPage(500, 'Server Error'), contentType: 'text/html' };
    case 'malformedJson':
      return { status: 200, body: malformedJson(now) };
    case 'status434':
      return { status: 434, body: err420(now, texts.connectionCode, texts.connectionReset(masterUrl)) };
    case 'masterUnreachable':
      return { status: 420, body: err420(now, texts.connectionCode, texts.connectionRefused(masterUrl)) };
    case 'databaseUnreachable':
      return { status: 420, body: err420(now, texts.databaseCode, texts.databaseUnreachable) };
  }
}

/** The start of an answer that stops in the middle of an object: what a broken serializer leaves. */
function malformedJson(now: number): string {
  return `{"deliveryDate":"${iso(now)}","surveyDate":"${iso(now)}","orders":[{"path":`;
}

/**
 * Sends a 200 head with the Content-Length of all of `text` and about half of it, then destroys the
 * socket. Resolves with the bytes of the body sent.
 */
export function sendTruncated(res: ServerResponse, text: string): Promise<number> {
  const full = Buffer.from(text, 'utf8');
  const part = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': full.length });
  return new Promise((resolve) => {
    res.write(part, () => {
      res.destroy();
      resolve(part.length);
    });
    res.once('close', () => resolve(part.length));
  });
}

/** Resets the connection (TCP RST): the client sees ECONNRESET, not an answer. */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (socket && !socket.destroyed) socket.resetAndDestroy();
  else res.destroy();
}

const PADDING_CHUNK = Buffer.alloc(64 * 1024, 'x');
const PADDING_FIELD = '"padding":"';

/**
 * Streams `base` (a JSON object's text) with a `padding` string field added, so that the whole
 * answer has at least `bytes` bytes; the padding goes out in chunks, with back-pressure. Resolves
 * with the bytes sent (fewer when the client goes away first).
 */
export async function streamOversize(res: ServerResponse, base: string, bytes: number): Promise<number> {
  const open = base.slice(0, base.lastIndexOf('}'));
  const head = `${open}${open.trim() === '{' ? '' : ','}${PADDING_FIELD}`;
  const tail = '"}';
  const headBytes = Buffer.byteLength(head);
  const padding = Math.max(0, bytes - headBytes - tail.length);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': headBytes + padding + tail.length });
  let sent = 0;
  const write = async (chunk: Buffer | string): Promise<boolean> => {
    const ok = await writeChunk(res, chunk);
    if (ok) sent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return ok;
  };
  if (!(await write(head))) return sent;
  for (let left = padding; left > 0; left -= PADDING_CHUNK.length) {
    if (!(await write(left >= PADDING_CHUNK.length ? PADDING_CHUNK : PADDING_CHUNK.subarray(0, left)))) return sent;
  }
  res.end(tail);
  return sent + tail.length;
}

/** Writes one chunk, waiting for 'drain' when the socket buffer is full; false when the client is gone. */
function writeChunk(res: ServerResponse, chunk: Buffer | string): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
