/** Helpers for the JS7 simulator's HTTP tests (on top of ../http.ts). */
import { startJs7Simulator, type Js7Simulator, type Js7SimulatorOptions } from '../../../src/simulator/js7';
import { basic, call, type Answer } from '../http';

export { basic, call, manualClock, type Answer } from '../http';

/** Small login delays, so that failed logins do not slow the tests down. */
export const FAST_LOGIN = { firstMs: 5, maxMs: 20 };

export function startFast(options: Js7SimulatorOptions = {}): Promise<Js7Simulator> {
  return startJs7Simulator({ loginDelay: FAST_LOGIN, ...options });
}

export async function js7Login(sim: Js7Simulator, account = 'root', password = 'root'): Promise<string> {
  const res = await call(sim, 'authentication/login', {}, { headers: { Authorization: basic(account, password) } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.json.accessToken as string;
}

/** A data call with the token. */
export function post(sim: Js7Simulator, endpoint: string, body: unknown, token: string | undefined): Promise<Answer> {
  return call(sim, endpoint, body, { token });
}
