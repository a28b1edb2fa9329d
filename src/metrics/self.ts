import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { VERSION } from '../version';

/** Latency buckets for requests to JOC Cockpit, in seconds (JOC answers in ms, a slow Master in s). */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The exporter's own metrics (CONTRACT §4, `jobscheduler_exporter_*`). They live for the whole
 * process; unlike the JOC data series they keep their values when a poll fails.
 */
export class SelfMetrics {
  readonly registry = new Registry();

  readonly buildInfo = new Gauge({
    name: 'jobscheduler_exporter_build_info',
    help: 'A metric with a constant 1 value labelled by the version of jobscheduler-exporter and of Node.js it runs on.',
    labelNames: ['version', 'nodejs_version'] as const,
    registers: [this.registry],
  });

  readonly pollDuration = new Gauge({
    name: 'jobscheduler_exporter_poll_duration_seconds',
    help: 'Wall time of the last poll of this JOC Cockpit instance, in seconds.',
    labelNames: ['joc'] as const,
    registers: [this.registry],
  });

  readonly lastPollSuccess = new Gauge({
    name: 'jobscheduler_exporter_last_poll_success_timestamp_seconds',
    help: 'Unix time of the last poll in which every request for this JobScheduler (JS7: Controller ID) succeeded, 403 answers of the optional groups (history, Agents, daily plan) aside.',
    labelNames: ['joc', 'jobscheduler_id'] as const,
    registers: [this.registry],
  });

  readonly logins = new Counter({
    name: 'jobscheduler_exporter_logins_total',
    help: 'Logins to JOC Cockpit (1.x: security/login, JS7: authentication/login) by result, success or failure.',
    labelNames: ['joc', 'result'] as const,
    registers: [this.registry],
  });

  readonly sessionRenewals = new Counter({
    name: 'jobscheduler_exporter_session_renewals_total',
    help: 'Logins made because JOC Cockpit reported the session expired or unknown (HTTP 401, 440, or 420 with a session error).',
    labelNames: ['joc'] as const,
    registers: [this.registry],
  });

  readonly requests = new Counter({
    name: 'jobscheduler_exporter_requests_total',
    help: 'HTTP requests to JOC Cockpit by endpoint and HTTP status code; code "error" is a network failure or timeout.',
    labelNames: ['joc', 'endpoint', 'code'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'jobscheduler_exporter_request_duration_seconds',
    help: 'Latency of HTTP requests to JOC Cockpit by endpoint, in seconds.',
    labelNames: ['joc', 'endpoint'] as const,
    buckets: REQUEST_DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly invalidAnswers = new Counter({
    name: 'jobscheduler_exporter_invalid_answers_total',
    help: 'Answers of JOC Cockpit with HTTP 200 that the exporter could not use (not JSON, or not of the documented shape).',
    labelNames: ['joc', 'endpoint'] as const,
    registers: [this.registry],
  });

  constructor() {
    this.buildInfo.set({ version: VERSION, nodejs_version: process.version }, 1);
  }

  /**
   * Creates the counters of one JOC instance whose label sets are known from the start at zero,
   * so that `rate()` and alerts see 0 rather than nothing until the first event: logins by
   * result, session renewals, and invalid answers per data endpoint (`endpoints`, one per
   * collector). requests_total is left out: its `code` label is only known when JOC answers.
   */
  initialiseJoc(joc: string, endpoints: readonly string[] = []): void {
    this.logins.inc({ joc, result: 'success' }, 0);
    this.logins.inc({ joc, result: 'failure' }, 0);
    this.sessionRenewals.inc({ joc }, 0);
    for (const endpoint of endpoints) this.invalidAnswers.inc({ joc, endpoint }, 0);
  }

  /** Forgets the last-success timestamp of a JobScheduler that JOC no longer lists. */
  forgetJobScheduler(joc: string, jobschedulerId: string): void {
    this.lastPollSuccess.remove({ joc, jobscheduler_id: jobschedulerId });
  }
}
