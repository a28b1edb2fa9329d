import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/**
 * A password or access token. It prints as `[REDACTED]` everywhere (string conversion, JSON,
 * util.inspect, pino), so a secret cannot reach a log line or an error message by accident;
 * `reveal()` is the one way to read it, and is called only where the value goes on the wire.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
