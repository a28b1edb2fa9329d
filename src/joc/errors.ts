/**
 * What can go wrong when talking to JOC Cockpit. Code branches on the class (or `code`), never
 * on message text; messages name the JOC instance and endpoint and never carry a secret.
 */

export type JocErrorCode =
  | 'JSE_JOC_NETWORK'
  | 'JSE_JOC_STATUS'
  | 'JSE_JOC_SESSION_GONE'
  | 'JSE_JOC_PERMISSION'
  | 'JSE_JOC_LOGIN'
  | 'JSE_JOC_LOGIN_BACKOFF'
  | 'JSE_JOC_ANSWER'
  | 'JSE_JOC_OVERSIZE'
  | 'JSE_JOC_ABORTED';

export abstract class JocError extends Error {
  abstract readonly code: JocErrorCode;
  /** The JOC resource, e.g. `orders/overview/snapshot`. */
  readonly endpoint: string;

  constructor(endpoint: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.endpoint = endpoint;
  }

  /** True when JOC Cockpit answered at HTTP level (whatever it said). */
  get answered(): boolean {
    return false;
  }

  /**
   * What kind of failure this is, without the details that change from one request to the next
   * (timings, ports, JOC's message text): a repeated failure of the same state is logged once.
   */
  get state(): string {
    return this.code;
  }
}

/** No HTTP answer: connection refused or reset, DNS, TLS, or the request timed out. */
export class JocNetworkError extends JocError {
  readonly code = 'JSE_JOC_NETWORK';
  readonly timedOut: boolean;

  constructor(endpoint: string, cause: unknown, timedOut: boolean) {
    const reason = timedOut ? 'timed out' : describeCause(cause);
    super(endpoint, `${endpoint}: no answer from JOC Cockpit (${reason})`, { cause });
    this.timedOut = timedOut;
  }

  /** Timed out, or no answer at all (refused, reset, DNS, TLS: which one varies while JOC restarts). */
  override get state(): string {
    return `${this.code} ${this.timedOut ? 'timeout' : 'unreachable'}`;
  }
}

/** The request was aborted because the exporter is shutting down. */
export class JocAbortedError extends JocError {
  readonly code = 'JSE_JOC_ABORTED';

  constructor(endpoint: string) {
    super(endpoint, `${endpoint}: aborted (shutting down)`);
  }
}

/** Parts of a JOC error answer worth logging: `error.code`/`error.message` or the security `message`. */
export interface JocErrorDetail {
  readonly jocCode?: string;
  readonly jocMessage?: string;
}

/** JOC Cockpit answered with an HTTP status that is not a success; `detail` is what its body said. */
export abstract class JocRefusalError extends JocError {
  readonly status: number;
  readonly detail: JocErrorDetail;

  constructor(endpoint: string, status: number, detail: JocErrorDetail, what: string) {
    super(endpoint, `${endpoint}: ${what}${formatDetail(detail)}`);
    this.status = status;
    this.detail = detail;
  }

  override get answered(): boolean {
    return true;
  }

  override get state(): string {
    return `${this.code} ${this.status} ${this.detail.jocCode ?? ''}`.trimEnd();
  }
}

/** An HTTP answer other than 200 that is not a session or permission problem (420, 434, 5xx, ...). */
export class JocStatusError extends JocRefusalError {
  readonly code = 'JSE_JOC_STATUS';

  constructor(endpoint: string, status: number, detail: JocErrorDetail) {
    super(endpoint, status, detail, `HTTP ${status}`);
  }
}

/** JOC said the session is gone (401, 440, or 420 with a session message), also after one re-login. */
export class JocSessionGoneError extends JocRefusalError {
  readonly code = 'JSE_JOC_SESSION_GONE';

  constructor(endpoint: string, status: number, detail: JocErrorDetail) {
    super(endpoint, status, detail, `session gone, HTTP ${status}`);
  }
}

/** 403: the JOC account lacks a permission. Never retried. */
export class JocPermissionError extends JocRefusalError {
  readonly code = 'JSE_JOC_PERMISSION';

  constructor(endpoint: string, detail: JocErrorDetail) {
    super(endpoint, 403, detail, 'permission denied, HTTP 403');
  }
}

/** The login (1.x `security/login`, JS7 `authentication/login`) failed: wrong credentials (401), or JOC answered something else than 200. */
export class JocLoginError extends JocRefusalError {
  readonly code = 'JSE_JOC_LOGIN';

  constructor(endpoint: string, status: number, detail: JocErrorDetail) {
    super(endpoint, status, detail, `login refused, HTTP ${status}`);
  }
}

/** A login is not attempted yet: an earlier one failed and the backoff has not run out. */
export class JocLoginBackoffError extends JocError {
  readonly code = 'JSE_JOC_LOGIN_BACKOFF';
  readonly retryInMs: number;

  constructor(endpoint: string, retryInMs: number, lastError: Error | undefined) {
    super(
      endpoint,
      `${endpoint}: waiting ${Math.ceil(retryInMs / 1000)} s before the next login attempt` +
        (lastError ? ` (last: ${lastError.message})` : ''),
      { cause: lastError },
    );
    this.retryInMs = retryInMs;
  }
}

/** JOC answered 200 with a body the exporter cannot use (not JSON, or not of the documented shape). */
export class JocAnswerError extends JocError {
  readonly code = 'JSE_JOC_ANSWER';

  constructor(endpoint: string, problem: string) {
    super(endpoint, `${endpoint}: unusable answer from JOC Cockpit: ${problem}`);
  }

  override get answered(): boolean {
    return true;
  }
}

/** JOC answered with a body larger than `poll.maxResponseBytes`; the rest was not read. */
export class JocOversizeError extends JocError {
  readonly code = 'JSE_JOC_OVERSIZE';
  readonly limitBytes: number;

  constructor(endpoint: string, limitBytes: number) {
    super(
      endpoint,
      `${endpoint}: the answer is larger than poll.maxResponseBytes (${limitBytes} bytes); ` +
        'raise the limit or watch fewer order states',
    );
    this.limitBytes = limitBytes;
  }

  override get answered(): boolean {
    return true;
  }
}

function formatDetail(detail: JocErrorDetail): string {
  const parts = [detail.jocCode, detail.jocMessage].filter((p): p is string => Boolean(p));
  return parts.length ? `: ${parts.join(' ')}` : '';
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
