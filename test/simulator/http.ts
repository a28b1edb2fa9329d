/** Small undici helpers for the simulator's HTTP tests. */
import { request } from 'undici';
import type { Simulator } from '../../src/simulator';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed body, or undefined when it is not JSON. */
  json: any;
}

export interface PostOptions {
  token?: string;
  /** Send the token in the legacy `access_token` header instead. */
  legacyToken?: boolean;
  headers?: Record<string, string>;
  /** Raw body text; otherwise `body` is JSON-encoded. */
  raw?: string;
  method?: 'POST' | 'GET' | 'PUT' | 'DELETE';
  contentType?: string | null;
}

/** POST (or another method) to `/joc/api/<endpoint>` of either simulator. */
export async function call(sim: { readonly url: string }, endpoint: string, body: unknown = {}, options: PostOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.contentType !== null) headers['Content-Type'] = options.contentType ?? 'application/json';
  if (options.token !== undefined) headers[options.legacyToken ? 'access_token' : 'X-Access-Token'] = options.token;
  const method = options.method ?? 'POST';
  const payload = method === 'GET' ? undefined : options.raw ?? JSON.stringify(body);
  const res = await request(`${sim.url}/joc/api/${endpoint}`, { method, headers, body: payload });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export async function login(sim: Simulator, user = 'root', password = 'root'): Promise<string> {
  const res = await call(sim, 'security/login', {}, { headers: { Authorization: basic(user, password) } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.json.accessToken as string;
}

/** A settable clock for `startSimulator({ now })`. */
export function manualClock(start = Date.parse('2024-03-01T12:00:00.000Z')): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}
