import type { Config, JocConfig, WebConfig } from './types';

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function describeJoc(joc: JocConfig): string {
  if (joc.apiVersion === 'js7') {
    const controllers = joc.controllers;
    if (controllers === null) return `${joc.name} (js7): Controllers discovered`;
    const workflows = controllers.reduce((sum, controller) => sum + controller.workflows.length, 0);
    return `${joc.name} (js7): ${count(controllers.length, 'Controller')}, ${count(workflows, 'workflow')}`;
  }
  const schedulers = joc.jobschedulers;
  if (schedulers === null) return `${joc.name}: JobSchedulers discovered`;
  const total = (list: 'jobChains' | 'jobs') => schedulers.reduce((sum, scheduler) => sum + scheduler[list].length, 0);
  const counts = [
    count(schedulers.length, 'JobScheduler'),
    count(total('jobChains'), 'job chain'),
    count(total('jobs'), 'job'),
  ];
  return `${joc.name}: ${counts.join(', ')}`;
}

function describeWeb(web: WebConfig | null): string {
  const parts: string[] = [];
  if (web?.tls) {
    const clientAuth = web.tls.clientAuthType === 'NoClientCert' ? '' : ` (${web.tls.clientAuthType})`;
    parts.push(`TLS${clientAuth}`);
  }
  if (web && web.basicAuthUsers.size > 0) parts.push(`basic auth for ${count(web.basicAuthUsers.size, 'user')}`);
  return parts.length > 0 ? ` with ${parts.join(' and ')}` : '';
}

/**
 * The one line `--check-config` prints for a valid config, e.g. `config ./config.yaml is valid:
 * 2 JOC Cockpit instances (primary: 1 JobScheduler, 3 job chains, 5 jobs; backup: JobSchedulers
 * discovered), poll "*\/30 * * * * *" with 10 s timeout, listening on 0.0.0.0:9446`. It never
 * shows a password.
 */
export function summarise(config: Config): string {
  const { listen, poll } = config;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return (
    `config ${config.source} is valid: ${count(config.joc.length, 'JOC Cockpit instance')} ` +
    `(${config.joc.map(describeJoc).join('; ')}), ` +
    `poll "${poll.schedule}" with ${poll.timeoutSeconds} s timeout, ` +
    `listening on ${host}:${listen.port}${describeWeb(listen.web)}`
  );
}
