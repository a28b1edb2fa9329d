import { parseConfig, summarise } from '../../../src/config';
import { problemLines } from './support';

/** A config of the given `joc:` entries (YAML text indented by four spaces per entry key). */
const config = (...entries: string[]) => `joc:\n${entries.map((e) => `  - ${e.trimStart()}`).join('')}`;
const js7 = (name: string, rest = '') =>
  `name: ${name}\n    url: https://joc2.example.com:4443\n    apiVersion: js7\n    user: exporter\n    password: pw\n${rest}`;
const v1 = (name: string, rest = '') => `name: ${name}\n    url: https://joc.example.com:4446\n    user: root\n    password: pw\n${rest}`;

describe('apiVersion js7 (CONTRACT §2, §7)', () => {
  it('reads controllers with their ids, order states (any case, without duplicates) and workflows', async () => {
    const yaml = config(
      js7(
        'js7',
        '    controllers:\n' +
          '      - id: controller\n        orderStates: [failed, Suspended, FAILED, inProgress]\n        workflows: [/billing/nightly, /billing/nightly, /a/b]\n' +
          '      - id: testsuite\n',
      ),
    );
    const { joc } = await parseConfig(yaml, 'inline.yaml', {});
    expect(joc).toMatchObject([
      {
        name: 'js7',
        apiVersion: 'js7',
        url: 'https://joc2.example.com:4443',
        controllers: [
          { id: 'controller', orderStates: ['FAILED', 'SUSPENDED', 'INPROGRESS'], workflows: ['/billing/nightly', '/a/b'] },
          { id: 'testsuite', orderStates: ['SUSPENDED', 'FAILED', 'BLOCKED', 'PROMPTING'], workflows: [] },
        ],
      },
    ]);
    expect(joc[0]).not.toHaveProperty('jobschedulers');
  });

  it('discovers the Controller IDs when controllers is left out', async () => {
    const { joc } = await parseConfig(config(js7('js7')), 'inline.yaml', {});
    expect(joc[0]).toMatchObject({ apiVersion: 'js7', controllers: null });
  });

  it('polls a v1 and a js7 JOC side by side, each with its own list', async () => {
    const yaml = config(
      v1('classic', '    jobschedulers:\n      - id: scheduler\n        jobChains: [/a/chain]\n'),
      js7('js7', '    controllers:\n      - id: controller\n        workflows: [/w]\n'),
    );
    const parsed = await parseConfig(yaml, 'inline.yaml', {});
    expect(parsed.joc.map((j) => [j.name, j.apiVersion])).toEqual([
      ['classic', 'v1'],
      ['js7', 'js7'],
    ]);
    expect(summarise(parsed)).toContain('(classic: 1 JobScheduler, 1 job chain, 0 jobs; js7 (js7): 1 Controller, 1 workflow)');
  });

  it('refuses jobschedulers under js7 and controllers under v1, naming the right key', async () => {
    const yaml = config(js7('js7', '    jobschedulers:\n      - id: scheduler\n'), v1('classic', '    controllers:\n      - id: controller\n'));
    expect(await problemLines(parseConfig(yaml, 'inline.yaml', {}))).toEqual([
      'joc[0].jobschedulers: is for apiVersion v1 (JOC Cockpit 1.x); this JOC has apiVersion js7: list its Controller IDs under controllers',
      'joc[1].controllers: is for apiVersion js7 (JS7 JOC Cockpit 2.x); this JOC has apiVersion v1: list its JobSchedulers under jobschedulers',
    ]);
  });

  it('reports a bad Controller ID, order state, workflow path and an unknown key, every one', async () => {
    const yaml = config(
      js7(
        'js7',
        '    controllers:\n' +
          '      - id: "a:b"\n        orderStates: [SETBACK, TERMINATED]\n        workflows: [relative]\n        jobChains: [/x]\n' +
          '      - id: ""\n',
      ),
    );
    const lines = await problemLines(parseConfig(yaml, 'inline.yaml', {}));
    const states = 'must be one of PENDING, SCHEDULED, INPROGRESS, RUNNING, PROMPTING, SUSPENDED, WAITING, BLOCKED, FAILED (any case)';
    expect(lines).toEqual([
      'joc[0].controllers[0].id: must not contain / < > ? ! & : ; ( ) " | * ^, got "a:b"',
      `joc[0].controllers[0].orderStates[0]: ${states}, got "SETBACK"`,
      `joc[0].controllers[0].orderStates[1]: ${states}, got "TERMINATED"`,
      'joc[0].controllers[0].workflows[0]: must be an absolute path below / such as /folder/name, without < > ? : " | *, got "relative"',
      'joc[0].controllers[0].jobChains: unknown key; expected one of id, orderStates, workflows',
      'joc[0].controllers[1].id: must not be empty',
    ]);
  });

  it('refuses an empty controllers list and a Controller ID listed twice', async () => {
    const empty = config(js7('js7', '    controllers: []\n'));
    expect(await problemLines(parseConfig(empty, 'inline.yaml', {}))).toEqual([
      'joc[0].controllers: must not be empty: leave it out to discover the Controllers',
    ]);
    const twice = config(js7('js7', '    controllers:\n      - id: c\n      - id: c\n'));
    expect(await problemLines(parseConfig(twice, 'inline.yaml', {}))).toEqual([expect.stringMatching(/^joc\[0\]\.controllers.*list each Controller ID once/)]);
  });
});
