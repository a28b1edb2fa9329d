import { dirname } from 'node:path';

import { validate, validateDetailed } from 'node-cron';
import { z } from 'zod';

import { normaliseEnum } from '../joc/enums';
import { CONTROLLER_ID_PATTERN, FORBIDDEN_CONTROLLER_ID_CHARACTERS, JS7_ORDER_STATE_FILTERS } from '../joc/js7/enums';
import { FORBIDDEN_NAME_CHARACTERS, JOBSCHEDULER_ID_PATTERN, OBJECT_PATH_PATTERN, ORDER_STATE_FILTERS } from '../joc/v1/enums';
import { Secret } from '../secret';
import type { FromEnvText } from './env';
import { fileText } from './files';
import { holdsCertificates } from './pem';
import { show } from './problems';
import {
  DEFAULT_HISTORY,
  DEFAULT_JS7_ORDER_STATES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_MAX_CONNECTIONS,
  DEFAULT_ORDER_STATES,
  MAX_HISTORY_JOBS,
  MAX_HISTORY_WINDOW_HOURS,
  MAX_RESPONSE_BYTES,
  MIN_HISTORY_WINDOW_HOURS,
  MIN_RESPONSE_BYTES,
  type JocConfig,
  type JocTlsConfig,
  type ListenConfig,
  type LogLevel,
} from './types';
import { parseWebConfig } from './web-config';
import { isTimeZone } from '../util/time-zone';

/**
 * The zod schema of the config file (CONTRACT §2; `config.example.yaml` documents every key).
 * It checks the environment-expanded YAML, applies the defaults, reads the files the config
 * names and resolves everything into the `Config` types, reporting every problem it finds.
 */

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const satisfies readonly LogLevel[];

/** JOC Cockpit's own patterns: what JOC accepts, the config accepts. */
const JOBSCHEDULER_ID = new RegExp(JOBSCHEDULER_ID_PATTERN);
const CONTROLLER_ID = new RegExp(CONTROLLER_ID_PATTERN);
const OBJECT_PATH = new RegExp(OBJECT_PATH_PATTERN);

/** A decimal number as an environment variable gives it, e.g. `9446` or `2.5`. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * The keys that are not strings but may be given as an environment reference (`port:
 * "${PORT:-9446}"`), and how their expanded text is read. A plain YAML string is never converted.
 */
export const fromEnvText: FromEnvText = (path, text) => {
  const key = path.map((part) => (typeof part === 'number' ? '*' : String(part))).join('.');
  switch (key) {
    case 'listen.port':
    case 'listen.maxConnections':
    case 'poll.timeoutSeconds':
    case 'poll.maxResponseBytes':
      return DECIMAL.test(text) ? Number(text) : text;
    case 'joc.*.history.windowHours':
    case 'joc.*.history.maxJobs':
      return DECIMAL.test(text) ? Number(text) : text;
    case 'joc.*.tls.insecureSkipVerify':
    case 'joc.*.history.enabled':
    case 'joc.*.agents.enabled':
    case 'joc.*.dailyPlan.enabled':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
};

/** An optional key: omitted or left empty (`port:`, which YAML reads as null), it takes `fallback`. */
function withDefault<S extends z.ZodType>(schema: S, fallback: z.input<S>) {
  return z.preprocess((value) => value ?? undefined, schema.prefault(fallback));
}

/** The one message for every way a value can miss its type and range, with the value. */
function expecting(what: string) {
  return { error: (issue: { readonly input?: unknown }) => `${what}, got ${show(issue.input)}` };
}

const isMapping = (payload: { readonly value: unknown }) => typeof payload.value === 'object' && payload.value !== null;

/**
 * Reports a repeated `key` value of the entries of `list` on the later entry's path. It also runs
 * when entries have other problems (zod would skip it then), so duplicates are reported with
 * everything else.
 */
function uniqueBy(list: string, key: 'name' | 'id', hint: string) {
  return z.superRefine(
    (entries: readonly unknown[], ctx) => {
      const first = new Map<unknown, number>();
      entries.forEach((entry, i) => {
        const value = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)[key] : undefined;
        if (typeof value !== 'string') return;
        const seen = first.get(value);
        if (seen === undefined) {
          first.set(value, i);
          return;
        }
        const message = `duplicate ${key} "${value}", already used by ${list}[${seen}]; ${hint}`;
        ctx.addIssue({ code: 'custom', path: [i, key], message });
      });
    },
    { when: (payload) => Array.isArray(payload.value) },
  );
}

function listenSchema(baseDir: string) {
  const port = expecting('must be an integer from 0 to 65535');
  const connections = expecting(`must be an integer from 1 to ${MAX_MAX_CONNECTIONS}`);
  const webConfigFile = fileText(baseDir).transform(async (file, ctx) => {
    const result = await parseWebConfig(file.text, dirname(file.path));
    if (result.ok) return { path: file.path, web: result.web };
    for (const problem of result.problems) {
      ctx.addIssue({ code: 'custom', message: problem.path ? `${problem.path}: ${problem.message}` : problem.message });
    }
    return z.NEVER;
  });
  return z
    .strictObject({
      host: withDefault(z.string().min(1), '0.0.0.0'),
      port: withDefault(z.int(port).min(0, port).max(65535, port), 9446),
      // "" is no web config, as exporter-toolkit's empty --web.config.file.
      webConfigFile: z.preprocess((value) => (value === '' ? null : value), webConfigFile.nullish()),
      maxConnections: withDefault(z.int(connections).min(1, connections).max(MAX_MAX_CONNECTIONS, connections), DEFAULT_MAX_CONNECTIONS),
    })
    .transform(
      ({ host, port, webConfigFile, maxConnections }): ListenConfig => ({
        host,
        port,
        webConfigFile: webConfigFile?.path ?? null,
        web: webConfigFile?.web ?? null,
        maxConnections,
      }),
    );
}

/** A node-cron expression that `validate()` accepts; the message names the bad field when there is one. */
const schedule = z.string().superRefine((expression, ctx) => {
  if (validate(expression)) return;
  const [error] = validateDetailed(expression).errors;
  const field = error?.field.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  const detail = error && field !== 'expression' ? ` (bad ${field}: ${error.value})` : '';
  ctx.addIssue({
    code: 'custom',
    message: `must be a node-cron expression of 5 or 6 fields (6 = with seconds), got ${show(expression)}${detail}`,
  });
});

const timeout = expecting('must be a number of seconds greater than 0 and at most 300');

const responseLimit = expecting(
  `must be a whole number of bytes from ${MIN_RESPONSE_BYTES} (1 KiB) to ${MAX_RESPONSE_BYTES} (1 GiB)`,
);

const pollSchema = z.strictObject({
  schedule: withDefault(schedule, '*/30 * * * * *'),
  timeoutSeconds: withDefault(z.number(timeout).positive(timeout).max(300, timeout), 10),
  maxResponseBytes: withDefault(
    z.number(responseLimit).int(responseLimit).min(MIN_RESPONSE_BYTES, responseLimit).max(MAX_RESPONSE_BYTES, responseLimit),
    DEFAULT_MAX_RESPONSE_BYTES,
  ),
});

const logSchema = z.strictObject({ level: withDefault(z.enum(LOG_LEVELS), 'info') });

const jocUrl = z.string().transform((text, ctx) => {
  const problem = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return problem(`must be an http(s) URL, got ${show(text)}`);
  }
  if (url.username || url.password) return problem('must not hold a user name or password: give them in user and password');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return problem(`must be an http(s) URL, got ${show(text)}`);
  if (/[?#]/.test(text)) return problem(`must not have a query or a fragment, got ${show(text)}`);
  if (/\/joc\/api\/?$/i.test(url.pathname)) return problem('must be the base URL without /joc/api');
  return url.href.replace(/\/+$/, '');
});

const apiVersion = z.enum(['v1', 'js7']);

/** The password as given: never echoed in a message (see `describeIssue`), held in a `Secret` once valid. */
const password = z.string({ error: 'must be a string (quote it)' }).min(1, { error: 'must not be empty' });

/** The password file's content, without one trailing line break. */
function passwordFile(baseDir: string) {
  return fileText(baseDir).transform((file, ctx) => {
    const text = file.text.replace(/\r?\n$/, '');
    if (text === '') ctx.addIssue({ code: 'custom', message: `${file.path} is empty` });
    return text;
  });
}

function tlsSchema(baseDir: string) {
  return z
    .strictObject({
      caFile: fileText(baseDir).superRefine((file, ctx) => holdsCertificates(file.text, ctx)).nullish(),
      insecureSkipVerify: withDefault(z.boolean(), false),
    })
    .transform(
      ({ caFile, insecureSkipVerify }): JocTlsConfig => ({
        caFile: caFile?.path ?? null,
        ca: caFile?.text ?? null,
        insecureSkipVerify,
      }),
    );
}

const windowHours = expecting(`must be a number of hours from ${MIN_HISTORY_WINDOW_HOURS} to ${MAX_HISTORY_WINDOW_HOURS}`);
const maxJobs = expecting(`must be a whole number from 1 to ${MAX_HISTORY_JOBS}`);

/** `history`, `agents`, `dailyPlan` of a JOC (CONTRACT §8): each group on unless switched off. */
const historySchema = z.strictObject({
  enabled: withDefault(z.boolean(), DEFAULT_HISTORY.enabled),
  windowHours: withDefault(
    z.number(windowHours).min(MIN_HISTORY_WINDOW_HOURS, windowHours).max(MAX_HISTORY_WINDOW_HOURS, windowHours),
    DEFAULT_HISTORY.windowHours,
  ),
  maxJobs: withDefault(z.number(maxJobs).int(maxJobs).min(1, maxJobs).max(MAX_HISTORY_JOBS, maxJobs), DEFAULT_HISTORY.maxJobs),
});
const agentsSchema = z.strictObject({ enabled: withDefault(z.boolean(), true) });
const dailyPlanSchema = z.strictObject({
  enabled: withDefault(z.boolean(), true),
  timeZone: withDefault(
    z.string().refine(isTimeZone, { error: (issue) => `must be an IANA time zone such as UTC or Europe/Berlin, got ${show(issue.input)}` }),
    'UTC',
  ),
});

/** One value of `known`, in any case; the message lists them. */
function enumValue<T extends string>(known: readonly T[]) {
  return z.string().transform((value, ctx): T => {
    const state = normaliseEnum(known, value);
    if (state) return state;
    ctx.addIssue({ code: 'custom', message: `must be one of ${known.join(', ')} (any case), got ${show(value)}` });
    return z.NEVER;
  });
}

/** `orderStates`: values of `known` without duplicates, `fallback` when omitted. */
function orderStates<T extends string>(known: readonly T[], fallback: readonly T[]) {
  return withDefault(z.array(enumValue(known)).transform((states) => [...new Set(states)]), [...fallback]);
}

const objectPaths = z
  .array(
    z
      .string()
      .max(255)
      .refine((path) => path !== '/' && OBJECT_PATH.test(path), {
        error: (issue) =>
          `must be an absolute path below / such as /folder/name, without ${FORBIDDEN_NAME_CHARACTERS}, got ${show(issue.input)}`,
      }),
  )
  .transform((paths) => [...new Set(paths)]);

const jobSchedulerSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(JOBSCHEDULER_ID, { error: (issue) => `must not contain / ${FORBIDDEN_NAME_CHARACTERS}, got ${show(issue.input)}` }),
  orderStates: orderStates(ORDER_STATE_FILTERS, DEFAULT_ORDER_STATES),
  jobChains: withDefault(objectPaths, []),
  jobs: withDefault(objectPaths, []),
});

const controllerSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(CONTROLLER_ID, {
      error: (issue) => `must not contain ${FORBIDDEN_CONTROLLER_ID_CHARACTERS}, got ${show(issue.input)}`,
    }),
  orderStates: orderStates(JS7_ORDER_STATE_FILTERS, DEFAULT_JS7_ORDER_STATES),
  workflows: withDefault(objectPaths, []),
});

/** Which list of schedulers each API flavour takes; the other one is an error naming the right key. */
const SCHEDULER_LIST_KEY = { v1: 'jobschedulers', js7: 'controllers' } as const;
const FLAVOUR_NAME = { v1: 'JOC Cockpit 1.x', js7: 'JS7 JOC Cockpit 2.x' } as const;

function jocSchema(baseDir: string) {
  return z
    .strictObject({
      name: withDefault(z.string().min(1).max(100), 'default'),
      url: jocUrl,
      apiVersion: withDefault(apiVersion, 'v1'),
      user: z.string().min(1),
      password: password.nullish(),
      passwordFile: passwordFile(baseDir).nullish(),
      tls: withDefault(tlsSchema(baseDir), {}),
      history: withDefault(historySchema, {}),
      agents: withDefault(agentsSchema, {}),
      dailyPlan: withDefault(dailyPlanSchema, {}),
      jobschedulers: z
        .array(jobSchedulerSchema)
        .min(1, { error: 'must not be empty: leave it out to discover the JobSchedulers' })
        .check(uniqueBy('jobschedulers', 'id', 'list each JobScheduler once'))
        .nullish(),
      controllers: z
        .array(controllerSchema)
        .min(1, { error: 'must not be empty: leave it out to discover the Controllers' })
        .check(uniqueBy('controllers', 'id', 'list each Controller ID once'))
        .nullish(),
    })
    .superRefine(
      (joc, ctx) => {
        const hasPassword = joc.password !== undefined && joc.password !== null;
        const hasFile = joc.passwordFile !== undefined && joc.passwordFile !== null;
        if (hasPassword && hasFile) ctx.addIssue({ code: 'custom', message: 'give password or passwordFile, not both' });
        if (!hasPassword && !hasFile) ctx.addIssue({ code: 'custom', message: 'password or passwordFile is required' });
      },
      { when: isMapping },
    )
    .superRefine(
      (joc, ctx) => {
        const raw = joc as Record<string, unknown>;
        const flavour = raw['apiVersion'] === 'js7' ? 'js7' : 'v1';
        const other = flavour === 'js7' ? 'v1' : 'js7';
        const wrongKey = SCHEDULER_LIST_KEY[other];
        if (raw[wrongKey] === undefined || raw[wrongKey] === null) return;
        ctx.addIssue({
          code: 'custom',
          path: [wrongKey],
          message:
            `is for apiVersion ${other} (${FLAVOUR_NAME[other]}); this JOC has apiVersion ${flavour}: ` +
            `list its ${flavour === 'js7' ? 'Controller IDs' : 'JobSchedulers'} under ${SCHEDULER_LIST_KEY[flavour]}`,
        });
      },
      { when: isMapping },
    )
    .transform(({ name, url, apiVersion, user, password, passwordFile, tls, history, agents, dailyPlan, jobschedulers, controllers }): JocConfig => {
      // The checks above have made sure that exactly one of them is given, and the right list.
      const base = { name, url, user, password: new Secret((password ?? passwordFile) as string), tls, history, agents, dailyPlan };
      return apiVersion === 'js7'
        ? { ...base, apiVersion, controllers: controllers ?? null }
        : { ...base, apiVersion, jobschedulers: jobschedulers ?? null };
    });
}

/** The whole config file; relative file paths in it resolve against `baseDir`. */
export function configSchema(baseDir: string) {
  return z
    .strictObject(
      {
        listen: withDefault(listenSchema(baseDir), {}),
        poll: withDefault(pollSchema, {}),
        log: withDefault(logSchema, {}),
        joc: z
          .array(jocSchema(baseDir))
          .min(1, { error: 'must list at least one JOC Cockpit' })
          .check(uniqueBy('joc', 'name', 'each JOC Cockpit needs its own name (the joc label)')),
      },
      {
        error: (issue) => {
          if (issue.code !== 'invalid_type') return undefined;
          if (issue.input === null || issue.input === undefined) return 'the file is empty: it needs at least the key joc';
          return `the top level must be a mapping of keys (listen, poll, log, joc), got ${show(issue.input)}`;
        },
      },
    );
}
