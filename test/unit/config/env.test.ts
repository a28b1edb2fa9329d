import { parseConfig } from '../../../src/config';
import { expandEnv, expandText } from '../../../src/config/env';
import { problemLines } from './support';

const MALFORMED = 'write ${NAME} or ${NAME:-default}, and $$ for a literal $';

describe('expandText', () => {
  const cases: [text: string, env: NodeJS.ProcessEnv, expanded: string, problems: string[]][] = [
    ['no reference', {}, 'no reference', []],
    ['${A}', { A: 'x' }, 'x', []],
    ['pre-${A}-${B}-post', { A: 'x', B: 'y' }, 'pre-x-y-post', []],
    ['${A}', { A: '' }, '', []],
    ['${A}', {}, '${A}', ['environment variable A is not set']],
    ['${A}${B}', {}, '${A}${B}', ['environment variable A is not set', 'environment variable B is not set']],
    ['${A:-fallback}', {}, 'fallback', []],
    ['${A:-fallback}', { A: '' }, 'fallback', []],
    ['${A:-fallback}', { A: 'x' }, 'x', []],
    ['${A:-}', {}, '', []],
    ['${A:-http://joc:4446}', {}, 'http://joc:4446', []],
    ['${lower_case1}', { lower_case1: 'x' }, 'x', []],
    ['$$', {}, '$', []],
    ['pa$$word', {}, 'pa$word', []],
    ['$$${A}', { A: 'x' }, '$x', []],
    ['$${A}', {}, '${A}', []],
    ['costs $5 or $A', {}, 'costs $5 or $A', []],
    ['${', {}, '${', [`malformed environment reference at character 1: ${MALFORMED}`]],
    ['ab${A', {}, 'ab${A', [`malformed environment reference at character 3: ${MALFORMED}`]],
    ['${1X}', {}, '${1X}', [`malformed environment reference at character 1: ${MALFORMED}`]],
    ['${}', {}, '${}', [`malformed environment reference at character 1: ${MALFORMED}`]],
    ['${A:=x}', {}, '${A:=x}', [`malformed environment reference at character 1: ${MALFORMED}`]],
    ['${A-x}', {}, '${A-x}', [`malformed environment reference at character 1: ${MALFORMED}`]],
    ['${A:-${B}}', {}, '${A:-${B}}', [`malformed environment reference at character 1: ${MALFORMED}`]],
  ];

  it.each(cases)('%j with %j', (text, env, expanded, problems) => {
    expect(expandText(text, env)).toMatchObject({ text: expanded, problems });
  });

  it.each([
    ['${A:-x}', true],
    ['${', true],
    ['$${A}', false],
    ['plain', false],
  ])('tells whether %j held a reference: %s', (text, referenced) => {
    expect(expandText(text, {}).referenced).toBe(referenced);
  });
});

describe('expandEnv', () => {
  it('expands every string value at any depth, and nothing else', () => {
    const document = {
      '${KEY}': '${A}',
      list: ['${A}', { nested: ['${B:-two}'] }],
      number: 1,
      flag: true,
      empty: null,
    };
    expect(expandEnv(document, { A: 'one', KEY: 'no' }, (_path, text) => text)).toEqual({
      value: { '${KEY}': 'one', list: ['one', { nested: ['two'] }], number: 1, flag: true, empty: null },
      problems: [],
    });
  });

  it('reports problems on the key path of the string, and keeps the string as written', () => {
    expect(expandEnv({ a: [{ b: 'x${UNSET}' }] }, {}, (_path, text) => text)).toEqual({
      value: { a: [{ b: 'x${UNSET}' }] },
      problems: [{ path: ['a', 0, 'b'], message: 'environment variable UNSET is not set' }],
    });
  });

  it('hands only the strings that held a reference to the converter', () => {
    const converted: unknown[] = [];
    expandEnv({ a: '1', b: '${N}', c: '$$1' }, { N: '2' }, (path, text) => {
      converted.push([path, text]);
      return Number(text);
    });
    expect(converted).toEqual([[['b'], '2']]);
  });
});

describe('environment expansion in the config', () => {
  const config = (lines: string) => `${lines}\njoc:\n  - url: http://joc\n    user: root\n    password: \${PW:-pw}\n`;

  const values: [what: string, yaml: string, env: NodeJS.ProcessEnv, pick: string, value: unknown][] = [
    ['a port default', 'listen:\n  port: "${PORT:-9446}"', {}, 'listen.port', 9446],
    ['a port from the environment', 'listen:\n  port: ${PORT}', { PORT: '1234' }, 'listen.port', 1234],
    ['a timeout', 'poll:\n  timeoutSeconds: "${TIMEOUT}"', { TIMEOUT: '2.5' }, 'poll.timeoutSeconds', 2.5],
    ['a response limit', 'poll:\n  maxResponseBytes: ${LIMIT}', { LIMIT: '1048576' }, 'poll.maxResponseBytes', 1048576],
    ['a host', 'listen:\n  host: "${HOST:-::}"', {}, 'listen.host', '::'],
    ['a schedule', 'poll:\n  schedule: "*/${EVERY:-15} * * * * *"', {}, 'poll.schedule', '*/15 * * * * *'],
  ];

  it.each(values)('reads %s', async (_what, yaml, env, pick, value) => {
    const [section, key] = pick.split('.') as [string, string];
    const loaded = (await parseConfig(config(yaml), 'inline.yaml', env)) as unknown as Record<string, Record<string, unknown>>;
    expect(loaded[section]?.[key]).toBe(value);
  });

  it.each([
    ['false', 'SKIP:-false', {}, false],
    ['true', 'SKIP', { SKIP: 'true' }, true],
  ] as const)('reads insecureSkipVerify %s from the environment', async (_what, reference, env, value) => {
    const yaml = `joc:\n  - url: http://joc\n    user: root\n    password: pw\n    tls:\n      insecureSkipVerify: "\${${reference}}"\n`;
    expect((await parseConfig(yaml, 'inline.yaml', env)).joc[0]?.tls.insecureSkipVerify).toBe(value);
  });

  it('expands nested lists and the password, which stays one string whatever it holds', async () => {
    const yaml =
      'joc:\n  - url: ${JOC_URL}\n    user: ${JOC_USER:-root}\n    password: ${PW}\n' +
      '    jobschedulers:\n      - id: ${ID}\n        jobChains: ["${BASE}/chain", "/x/$$chain"]\n';
    const env = { JOC_URL: 'https://joc:4446', PW: 'x\nlisten: {port: 1}', ID: 'scheduler', BASE: '/agent' };
    const loaded = await parseConfig(yaml, 'inline.yaml', env);
    expect(loaded.listen.port).toBe(9446);
    expect(loaded.joc[0]?.password.reveal()).toBe('x\nlisten: {port: 1}');
    expect(loaded.joc[0]).toMatchObject({
      url: 'https://joc:4446',
      user: 'root',
      jobschedulers: [{ id: 'scheduler', jobChains: ['/agent/chain', '/x/$chain'] }],
    });
  });

  const problems: [what: string, yaml: string, env: NodeJS.ProcessEnv, lines: string[]][] = [
    ['an unset variable, once', 'listen:\n  port: "${PORT}"', {}, ['listen.port: environment variable PORT is not set']],
    [
      'a number that is not one',
      'listen:\n  port: "${PORT}"',
      { PORT: 'abc' },
      ['listen.port: must be an integer from 0 to 65535, got "abc"'],
    ],
    [
      'a number with spaces',
      'poll:\n  timeoutSeconds: "${T}"',
      { T: ' 5' },
      ['poll.timeoutSeconds: must be a number of seconds greater than 0 and at most 300, got " 5"'],
    ],
    [
      'a plain string where a number belongs',
      'listen:\n  port: "9446"',
      {},
      ['listen.port: must be an integer from 0 to 65535, got "9446"'],
    ],
    [
      'a malformed reference',
      'log:\n  level: "${LEVEL"',
      {},
      [`log.level: malformed environment reference at character 1: ${MALFORMED}`],
    ],
    [
      'a reference in a key',
      '${SECTION}:\n  port: 1',
      { SECTION: 'listen' },
      ['${SECTION}: unknown key; expected one of listen, poll, log, joc'],
    ],
  ];

  it.each(problems)('reports %s', async (_what, yaml, env, lines) => {
    expect(await problemLines(parseConfig(config(yaml), 'inline.yaml', env))).toEqual(lines);
  });

  it('reports a boolean that is not one', async () => {
    const yaml = 'joc:\n  - url: http://joc\n    user: root\n    password: pw\n    tls:\n      insecureSkipVerify: "${SKIP}"\n';
    expect(await problemLines(parseConfig(yaml, 'inline.yaml', { SKIP: 'yes' }))).toEqual([
      'joc[0].tls.insecureSkipVerify: must be true or false, got "yes"',
    ]);
  });
});
