import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { ConfigError, loadConfig, parseConfig, type Config } from '../../../src/config';
import { Secret } from '../../../src/secret';
import { FIXTURES, problemLines, expectedWebConfig } from './support';
import { v1Joc } from '../../support/expected';

const fixture = (name: string) => join(FIXTURES, name);
const read = (name: string) => readFileSync(fixture(name), 'utf8');

describe('JobScheduler ids and object paths follow JOC Cockpit', () => {
  it('accepts a backslash, which JOC allows (its Java pattern escapes <, not \\)', async () => {
    const config = await parseConfig(
      String.raw`joc:
  - url: http://localhost:4446
    user: root
    password: x
    jobschedulers:
      - id: site\eu
        jobChains: [/etl\2026/load]
        jobs: [/etl\2026/parse]
`,
      'inline.yaml',
      {},
      FIXTURES,
    );
    expect(v1Joc(config.joc[0]).jobschedulers).toEqual([
      { id: 'site\\eu', orderStates: ['SUSPENDED', 'SETBACK', 'BLACKLIST'], jobChains: ['/etl\\2026/load'], jobs: ['/etl\\2026/parse'] },
    ]);
  });
});

describe('loadConfig of a valid file', () => {
  it('applies every default to a minimal config', async () => {
    const config = await loadConfig(fixture('valid-minimal.yaml'), {});
    expect(config).toEqual({
      source: fixture('valid-minimal.yaml'),
      listen: { host: '0.0.0.0', port: 9446, webConfigFile: null, web: null, maxConnections: 256 },
      poll: { schedule: '*/30 * * * * *', timeoutSeconds: 10, maxResponseBytes: 67108864 },
      log: { level: 'info' },
      joc: [
        {
          name: 'default',
          url: 'http://localhost:4446',
          apiVersion: 'v1',
          user: 'root',
          password: expect.any(Secret),
          tls: { caFile: null, ca: null, insecureSkipVerify: false },
          history: { enabled: true, windowHours: 6, maxJobs: 5000 },
          agents: { enabled: true },
          dailyPlan: { enabled: true, timeZone: 'UTC' },
          jobschedulers: null,
        },
      ],
    });
    expect(config.joc[0]?.password.reveal()).toBe('root');
  });

  it('resolves every key of a full config, files relative to the config file', async () => {
    const config = await loadConfig(fixture('valid-full.yaml'), {});
    expect(config).toEqual({
      source: fixture('valid-full.yaml'),
      listen: {
        host: '127.0.0.1',
        port: 9999,
        webConfigFile: fixture('web-config.yml'),
        web: expectedWebConfig(),
        maxConnections: 100,
      },
      poll: { schedule: '*/5 * * * *', timeoutSeconds: 2.5, maxResponseBytes: 67108864 },
      log: { level: 'debug' },
      joc: [
        {
          name: 'primary',
          url: 'https://joc.example.com:4446',
          apiVersion: 'v1',
          user: 'exporter',
          password: expect.any(Secret),
          tls: { caFile: fixture('certs/ca.pem'), ca: read('certs/ca.pem'), insecureSkipVerify: true },
          history: { enabled: true, windowHours: 12, maxJobs: 20000 },
          agents: { enabled: false },
          dailyPlan: { enabled: true, timeZone: 'Europe/Berlin' },
          jobschedulers: [
            {
              id: 'scheduler',
              orderStates: ['RUNNING', 'WAITINGFORRESOURCE', 'PENDING'],
              jobChains: ['/agent/job_chain1', '/agent/job_chain2'],
              jobs: ['/agent/job1'],
            },
            { id: 'scheduler.two', orderStates: [], jobChains: [], jobs: [] },
          ],
        },
        {
          name: 'backup',
          url: 'http://joc-backup.example.com/prefix',
          apiVersion: 'v1',
          user: 'exporter',
          password: expect.any(Secret),
          tls: { caFile: null, ca: null, insecureSkipVerify: false },
          history: { enabled: true, windowHours: 6, maxJobs: 5000 },
          agents: { enabled: true },
          dailyPlan: { enabled: true, timeZone: 'UTC' },
          jobschedulers: null,
        },
      ],
    });
    expect(config.joc.map((joc) => joc.password.reveal())).toEqual(['fixture-password', 'inline-password']);
  });

  it('keeps the file name as given and resolves files against its directory, not the working directory', async () => {
    const config = await loadConfig('test/fixtures/config/valid-full.yaml', {});
    expect(config.source).toBe('test/fixtures/config/valid-full.yaml');
    expect(config.joc[0]?.tls.caFile).toBe(fixture('certs/ca.pem'));
  });

  it('returns a deeply frozen config', async () => {
    const config: Config = await loadConfig(fixture('valid-full.yaml'), {});
    for (const part of [config, config.listen, config.joc, config.joc[0], config.joc[0]?.tls, v1Joc(config.joc[0]).jobschedulers?.[0]?.jobChains]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(() => {
      (config.listen as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('config.example.yaml', () => {
  const example = join(__dirname, '..', '..', '..', 'config.example.yaml');

  it('loads without problems when JOC_PASSWORD is set', async () => {
    const config = await loadConfig(example, { JOC_PASSWORD: 'from-the-environment' });
    expect(config.joc.map((joc) => [joc.name, joc.url, joc.password.reveal()])).toEqual([
      ['primary', 'https://joc.example.com:4446', 'from-the-environment'],
      ['js7', 'https://joc2.example.com:4443', 'from-the-environment'],
    ]);
    expect(config.joc.map((joc) => joc.apiVersion)).toEqual(['v1', 'js7']);
  });

  it('logs in with an account of its own, as the README advises, not as root', async () => {
    const config = await loadConfig(example, { JOC_PASSWORD: 'x' });
    expect(config.joc.length).toBeGreaterThanOrEqual(1);
    for (const joc of config.joc) expect(joc.user).toBe('exporter');
    const commented = readFileSync(example, 'utf8').match(/^\s*#?\s*user: .*$/gm) ?? [];
    expect(commented.length).toBeGreaterThanOrEqual(2);
    for (const line of commented) expect(line).toMatch(/user: exporter$/);
  });

  it('names JOC_PASSWORD when it is not set', async () => {
    expect(await problemLines(loadConfig(example, {}))).toEqual([
      'joc[0].password: environment variable JOC_PASSWORD is not set',
      'joc[1].password: environment variable JOC_PASSWORD is not set',
    ]);
  });

  it('shows every key of the config format', () => {
    const document = parse(readFileSync(example, 'utf8')) as Record<string, Record<string, unknown>[]>;
    const joc = document.joc?.[0] ?? {};
    const js7 = document.joc?.[1] ?? {};
    const keys = (value: unknown) => Object.keys(value as object);
    expect({
      top: keys(document),
      listen: keys(document.listen),
      poll: keys(document.poll),
      log: keys(document.log),
      joc: keys(joc),
      tls: keys(joc.tls),
      history: keys(joc.history),
      agents: keys(joc.agents),
      dailyPlan: keys(joc.dailyPlan),
      jobscheduler: keys((joc.jobschedulers as unknown[])[0]),
      js7: keys(js7),
      js7Tls: keys(js7.tls),
      controller: keys((js7.controllers as unknown[])[0]),
    }).toEqual({
      top: ['listen', 'poll', 'log', 'joc'],
      listen: ['host', 'port', 'webConfigFile', 'maxConnections'],
      poll: ['schedule', 'timeoutSeconds', 'maxResponseBytes'],
      log: ['level'],
      joc: ['name', 'url', 'apiVersion', 'user', 'password', 'passwordFile', 'tls', 'history', 'agents', 'dailyPlan', 'jobschedulers'],
      tls: ['caFile', 'insecureSkipVerify'],
      history: ['enabled', 'windowHours', 'maxJobs'],
      agents: ['enabled'],
      dailyPlan: ['enabled', 'timeZone'],
      jobscheduler: ['id', 'orderStates', 'jobChains', 'jobs'],
      js7: ['name', 'url', 'apiVersion', 'user', 'password', 'passwordFile', 'tls', 'controllers'],
      js7Tls: ['caFile', 'insecureSkipVerify'],
      controller: ['id', 'orderStates', 'workflows'],
    });
  });
});

describe('loadConfig of an invalid file reports every problem, one line each, in file order', () => {
  const WEB = 'listen.webConfigFile:';
  const PATH_RULE = String.raw`must be an absolute path below / such as /folder/name, without < > ? : " | *`;
  const JOC_KEYS =
    'expected one of name, url, apiVersion, user, password, passwordFile, tls, history, agents, dailyPlan, jobschedulers, controllers';
  const UNIQUE_NAME = 'each JOC Cockpit needs its own name (the joc label)';

  const cases: [file: string, lines: string[]][] = [
    [
      'invalid-many.yaml',
      [
        'listen.port: must be an integer from 0 to 65535, got "abc"',
        'listen.hots: unknown key; expected one of host, port, webConfigFile, maxConnections',
        'poll.schedule: must be a node-cron expression of 5 or 6 fields (6 = with seconds), got "61 * * * *" (bad minute: 61)',
        'poll.timeoutSeconds: must be a number of seconds greater than 0 and at most 300, got 0',
        'log.level: must be one of trace, debug, info, warn, error, fatal, got "verbose"',
        'joc[0].user: is required',
        'joc[0].url: must be an http(s) URL, got "ftp://joc.example.com"',
        `joc[0].pasword: unknown key; ${JOC_KEYS}`,
        `joc[1].name: duplicate name "default", already used by joc[0]; ${UNIQUE_NAME}`,
        'joc[1].url: must be the base URL without /joc/api',
      ],
    ],
    [
      'invalid-types.yaml',
      [
        'listen.host: must be a string, got 8080',
        'listen.port: must be an integer from 0 to 65535, got "9446"',
        'listen.webConfigFile: must be a string, got a list',
        'poll.schedule: must be a string, got 30',
        'poll.timeoutSeconds: must be a number of seconds greater than 0 and at most 300, got "10"',
        'log.level: must be one of trace, debug, info, warn, error, fatal, got 3',
        'joc[0].name: must be a string, got a list',
        'joc[0].url: must be a string, got 4446',
        'joc[0].apiVersion: must be one of v1, js7, got 1',
        'joc[0].user: must be a string, got a mapping',
        'joc[0].password: must be a string (quote it)',
        'joc[0].tls.caFile: must be a string, got true',
        'joc[0].tls.insecureSkipVerify: must be true or false, got "yes"',
        'joc[0].jobschedulers: must be a list, got "scheduler"',
        'joc[1].passwordFile: must be a string, got 42',
        'joc[1].tls: must be a mapping, got "on"',
        'joc[1].jobschedulers[0].id: must be a string, got 7',
        'joc[1].jobschedulers[0].orderStates: must be a list, got "SUSPENDED"',
        'joc[1].jobschedulers[0].jobChains: must be a list, got "/agent/job_chain1"',
        'joc[1].jobschedulers[0].jobs[0]: must be a string, got 1',
      ],
    ],
    [
      'invalid-unknown-keys.yaml',
      [
        'listne: unknown key; expected one of listen, poll, log, joc',
        'listen.prot: unknown key; expected one of host, port, webConfigFile, maxConnections',
        'poll.intervall: unknown key; expected one of schedule, timeoutSeconds, maxResponseBytes',
        'log.levle: unknown key; expected one of level',
        'joc[0]: password or passwordFile is required',
        `joc[0].pasword: unknown key; ${JOC_KEYS}`,
        'joc[0].tls.cafile: unknown key; expected one of caFile, insecureSkipVerify',
        'joc[0].jobschedulers[0].jobchains: unknown key; expected one of id, orderStates, jobChains, jobs',
      ],
    ],
    [
      'invalid-duplicates.yaml',
      [
        'joc[0].jobschedulers[2].id: duplicate id "scheduler", already used by jobschedulers[0]; list each JobScheduler once',
        `joc[1].name: duplicate name "default", already used by joc[0]; ${UNIQUE_NAME}`,
        `joc[3].name: duplicate name "primary", already used by joc[2]; ${UNIQUE_NAME}`,
      ],
    ],
    [
      'invalid-password.yaml',
      [
        'joc[0]: give password or passwordFile, not both',
        'joc[1]: password or passwordFile is required',
        'joc[2].password: must not be empty',
        `joc[3].passwordFile: cannot read ${fixture('secrets/missing.txt')}: no such file`,
        'joc[4]: password or passwordFile is required',
      ],
    ],
    [
      'invalid-url.yaml',
      [
        'joc[0].url: must be an http(s) URL, got "joc.example.com:4446"',
        'joc[1].url: must be an http(s) URL, got "ftp://joc.example.com"',
        'joc[2].url: must be the base URL without /joc/api',
        'joc[3].url: must not have a query or a fragment, got "https://joc.example.com/?x=1"',
        'joc[4].url: must not have a query or a fragment, got "https://joc.example.com/#top"',
        'joc[5].url: must not hold a user name or password: give them in user and password',
        'joc[6].apiVersion: must be one of v1, js7, got "v2"',
      ],
    ],
    [
      'invalid-jobschedulers.yaml',
      [
        'joc[0].jobschedulers[0].id: must not be empty',
        'joc[0].jobschedulers[1].id: must not contain / < > ? : " | *, got "a/b"',
        'joc[0].jobschedulers[1].orderStates[1]: must be one of PENDING, RUNNING, SUSPENDED, SETBACK, BLACKLIST, WAITINGFORRESOURCE (any case), got "stopped"',
        `joc[0].jobschedulers[1].jobChains[0]: ${PATH_RULE}, got "relative/chain"`,
        `joc[0].jobschedulers[1].jobChains[1]: ${PATH_RULE}, got "/"`,
        `joc[0].jobschedulers[1].jobChains[2]: ${PATH_RULE}, got "/trailing/"`,
        `joc[0].jobschedulers[1].jobChains[3]: ${PATH_RULE}, got "//double"`,
        `joc[0].jobschedulers[1].jobChains[4]: ${PATH_RULE}, got "/a:b"`,
        `joc[0].jobschedulers[1].jobs[0]: ${PATH_RULE}, got "/job?"`,
        'joc[1].jobschedulers: must not be empty: leave it out to discover the JobSchedulers',
      ],
    ],
    [
      'invalid-ranges.yaml',
      [
        'listen.host: must not be empty',
        'listen.port: must be an integer from 0 to 65535, got 65536',
        'poll.schedule: must be a node-cron expression of 5 or 6 fields (6 = with seconds), got "* * * *"',
        'poll.timeoutSeconds: must be a number of seconds greater than 0 and at most 300, got 301',
        'poll.maxResponseBytes: must be a whole number of bytes from 1024 (1 KiB) to 1073741824 (1 GiB), got 1000',
        'joc[0].name: must not be empty',
        'joc[0].user: must not be empty',
      ],
    ],
    ['invalid-no-joc.yaml', ['joc: is required']],
    ['invalid-empty-joc.yaml', ['joc: must list at least one JOC Cockpit']],
    ['invalid-empty.yaml', ['the file is empty: it needs at least the key joc']],
    ['invalid-not-a-mapping.yaml', ['the top level must be a mapping of keys (listen, poll, log, joc), got a list']],
    ['invalid-syntax.yaml', ['line 5, column 1: missing closing "quote']],
    ['invalid-duplicate-key.yaml', ['listen.port: duplicate key (line 3, column 3)']],
    [
      'invalid-web-config.yaml',
      [
        `${WEB} tls_server_config.key_file: is required (or key, inline)`,
        `${WEB} tls_server_config: give cert_file or cert, not both`,
        `${WEB} tls_server_config.cert_file: cannot read ${fixture('certs/missing.crt')}: no such file`,
        `${WEB} tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13, got "TLS14"`,
        `${WEB} tls_server_config.cipher_suites[0]: unknown cipher suite "TLS_RSA_WITH_RC4_128_SHA"; expected one of TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256`,
        `${WEB} tls_server_config.curve_preferences[0]: unknown curve "CurveP257"; expected one of CurveP256, CurveP384, CurveP521, X25519`,
        `${WEB} http_server_config.headers.X-Frame-Options: must be one of deny, sameorigin, got "allow"`,
        `${WEB} http_server_config.headers.X-Powered-By: unknown key; expected one of Content-Security-Policy, X-Frame-Options, X-Content-Type-Options, X-XSS-Protection, Strict-Transport-Security`,
        `${WEB} basic_auth_users.alice: must be a bcrypt hash ($2a$, $2b$ or $2y$), as htpasswd -nBC 10 "" | tr -d ':\\n' prints it`,
        `${WEB} basic_auth_users.bob: has cost 24, above the highest accepted (18): each check would take minutes of CPU; hash it again with htpasswd -nBC 12`,
        `${WEB} rate_limit.interval: must be a duration such as 1s, 500ms or 1m, got "1 second"`,
        `${WEB} rate_limit.burst: must be at least 0, got -1`,
      ],
    ],
  ];

  it.each(cases)('%s', async (file, lines) => {
    expect(await problemLines(loadConfig(fixture(file), {}))).toEqual(lines);
  });

  it('puts all problems of a file in one ConfigError', async () => {
    const error = await loadConfig(fixture('invalid-many.yaml'), {}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.length).toBeGreaterThanOrEqual(5);
    expect((error as ConfigError).message).toBe(`invalid configuration ${fixture('invalid-many.yaml')}: 10 problems`);
    expect((error as ConfigError).problems[0]).toEqual({ path: 'listen.port', message: 'must be an integer from 0 to 65535, got "abc"' });
  });

  it('names a config file that cannot be read', async () => {
    expect(await problemLines(loadConfig('/nonexistent/config.yaml', {}))).toEqual([
      'cannot read /nonexistent/config.yaml: no such file',
    ]);
    expect(await problemLines(loadConfig(FIXTURES, {}))).toEqual([`cannot read ${FIXTURES}: is a directory`]);
  });
});

describe('parseConfig of text that is no usable YAML', () => {
  const cases: [what: string, yaml: string, lines: string[]][] = [
    ['an empty text', '', ['the file is empty: it needs at least the key joc']],
    ['a scalar', 'just text\n', ['the top level must be a mapping of keys (listen, poll, log, joc), got "just text"']],
    ['two documents', 'joc: []\n---\njoc: []\n', ['line 2, column 1: the file must hold one YAML document only']],
    ['an unknown tag', 'joc: !include jocs.yaml\n', ['line 1, column 6: unresolved tag: !include']],
    [
      'an alias without its anchor',
      'joc: *jocs\n',
      ['line 1, column 6: alias *jocs has no anchor &jocs before it'],
    ],
    [
      'a billion laughs',
      `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(9)}*a]\nc: &c [${'*b, '.repeat(9)}*b]\njoc: [${'*c, '.repeat(9)}*c]\n`,
      ['excessive alias count indicates a resource exhaustion attack'],
    ],
    ['a duplicate key in a flow mapping', 'joc:\n  - {url: a, url: b}\n', ['joc[0].url: duplicate key (line 2, column 14)']],
  ];

  it.each(cases)('%s', async (_what, yaml, lines) => {
    expect(await problemLines(parseConfig(yaml, 'inline.yaml', {}))).toEqual(lines);
  });
});

describe('parseConfig of keys left empty and of lengths', () => {
  const joc = (lines: string) => `joc:\n  - url: http://joc\n    user: root\n    password: pw\n${lines}`;

  it('gives a key left empty (null) its default', async () => {
    const yaml =
      'listen:\npoll:\n  schedule:\n  timeoutSeconds:\nlog:\n' +
      joc('    name:\n    apiVersion:\n    tls:\n    jobschedulers:\n      - id: a\n        orderStates:\n        jobChains:\n        jobs:\n');
    const config = await parseConfig(yaml, 'inline.yaml', {});
    expect(config).toMatchObject({
      listen: { host: '0.0.0.0', port: 9446, webConfigFile: null },
      poll: { schedule: '*/30 * * * * *', timeoutSeconds: 10, maxResponseBytes: 67108864 },
      log: { level: 'info' },
      joc: [
        {
          name: 'default',
          apiVersion: 'v1',
          tls: { caFile: null, insecureSkipVerify: false },
          jobschedulers: [{ id: 'a', orderStates: ['SUSPENDED', 'SETBACK', 'BLACKLIST'], jobChains: [], jobs: [] }],
        },
      ],
    });
  });

  it('checks the history, Agent and daily-plan keys (CONTRACT §8), naming every bad one', async () => {
    const yaml = joc(
      '    history: { enabled: maybe, windowHours: 0.1, maxJobs: 2.5, extra: 1 }\n    agents: { enabled: 1 }\n    dailyPlan: { timeZone: Mars/Olympus }\n',
    );
    const lines = await problemLines(parseConfig(yaml, 'inline.yaml', {}));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^joc\[0\]\.history\.enabled: /),
        'joc[0].history.windowHours: must be a number of hours from 0.5 to 168, got 0.1',
        'joc[0].history.maxJobs: must be a whole number from 1 to 1000000, got 2.5',
        expect.stringMatching(/^joc\[0\]\.history\.extra: unknown key/),
        expect.stringMatching(/^joc\[0\]\.agents\.enabled: /),
        'joc[0].dailyPlan.timeZone: must be an IANA time zone such as UTC or Europe/Berlin, got "Mars/Olympus"',
      ]),
    );
    expect(lines).toHaveLength(6);
  });

  it('takes the group switches and history numbers from the environment', async () => {
    const yaml = joc('    history: { enabled: "${H:-false}", windowHours: "${W}" }\n    dailyPlan: { enabled: "${P}" }\n');
    const config = await parseConfig(yaml, 'inline.yaml', { W: '24', P: 'false' });
    expect(config.joc[0]).toMatchObject({ history: { enabled: false, windowHours: 24 }, dailyPlan: { enabled: false, timeZone: 'UTC' } });
  });

  it('accepts the longest names, ids and paths', async () => {
    const path = `/${'p'.repeat(254)}`;
    const yaml = joc(`    name: ${"n".repeat(100)}\n    jobschedulers:\n      - id: ${"i".repeat(100)}\n        jobs: [${path}]\n`);
    const config = await parseConfig(yaml, 'inline.yaml', {});
    expect(v1Joc(config.joc[0]).jobschedulers?.[0]?.jobs).toEqual([path]);
  });

  it('reports names, ids and paths that are too long', async () => {
    const yaml = joc(`    name: ${'n'.repeat(101)}\n    jobschedulers:\n      - id: ${'i'.repeat(101)}\n        jobChains: [/${'p'.repeat(255)}]\n`);
    expect(await problemLines(parseConfig(yaml, 'inline.yaml', {}))).toEqual([
      'joc[0].name: must have at most 100 characters',
      'joc[0].jobschedulers[0].id: must have at most 100 characters',
      'joc[0].jobschedulers[0].jobChains[0]: must have at most 255 characters',
    ]);
  });
});
