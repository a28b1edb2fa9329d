/**
 * deploy/systemd/: the unit, its system user and its EnvironmentFile. The settings are read with
 * a small parser (always); `systemd-analyze verify` and `systemd-analyze security --offline` judge
 * the unit as systemd does (where systemd-analyze is installed; CI installs it), in a scratch root
 * holding the systemd units of this machine and an executable at the unit's ExecStart path;
 * `systemd-sysusers --root` creates the user from the sysusers file there.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parseUnit, settings } from './systemd-unit';
import { describeWithTools, findTool } from '../support/tools';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'deploy', 'systemd');
const UNIT_NAME = 'jobscheduler-exporter.service';
const text = readFileSync(join(DIR, UNIT_NAME), 'utf8');
const unit = parseUnit(text);
const one = (key: string): string => {
  const values = settings(unit, 'Service', key);
  expect({ key, count: values.length }).toEqual({ key, count: 1 });
  return values[0]!;
};
const execStart = one('ExecStart').split(/\s+/);
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('deploy/systemd/jobscheduler-exporter.service', () => {
  test('the parser reads what systemd reads (and refuses what it cannot)', () => {
    const u = parseUnit('# c\n[A]\nX=1\n; c\nX=2 \\\n  3\n[B]\nY=\n');
    expect(settings(u, 'A', 'X')).toEqual(['1', '2    3']);
    expect(settings(u, 'B', 'Y')).toEqual(['']);
    expect(settings(u, 'B', 'Z')).toEqual([]);
    expect(() => parseUnit('X=1\n')).toThrow(/line 1/);
  });

  test('runs the installed binary with the config in /etc/jobscheduler-exporter, as its own user', () => {
    expect(execStart).toEqual(['/opt/jobscheduler-exporter/bin/jobscheduler-exporter', '--config', '/etc/jobscheduler-exporter/config.yaml']);
    expect(one('User')).toBe('jobscheduler-exporter');
    expect(one('Group')).toBe('jobscheduler-exporter');
    expect(settings(unit, 'Service', 'DynamicUser')).toEqual([]);
    // The README's install puts the binary there.
    expect(README).toContain('npm install --global --prefix /opt/jobscheduler-exporter');
  });

  test('the password from an EnvironmentFile, whose example defines the variable the config uses', () => {
    const file = one('EnvironmentFile');
    expect(file).toBe('/etc/jobscheduler-exporter/jobscheduler-exporter.env');
    const example = readFileSync(join(DIR, 'jobscheduler-exporter.env.example'), 'utf8');
    expect(example).toMatch(/^JOC_PASSWORD=\S+$/m);
    expect(readFileSync(join(ROOT, 'config.example.yaml'), 'utf8')).toMatch(/password: \$\{JOC_PASSWORD\}/);
    expect(text).not.toMatch(/^Environment=.*PASSWORD/m);
  });

  test('restarts on failure, but not after a config error (exit 2)', () => {
    expect(one('Restart')).toBe('on-failure');
    expect(one('RestartPreventExitStatus')).toBe('2');
    expect(one('Type')).toBe('simple');
  });

  test('hardening options', () => {
    const required: Record<string, string> = {
      NoNewPrivileges: 'yes',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'yes',
      ProtectKernelTunables: 'yes',
      ProtectKernelModules: 'yes',
      ProtectControlGroups: 'yes',
      RestrictSUIDSGID: 'yes',
      RestrictNamespaces: 'yes',
      LockPersonality: 'yes',
      CapabilityBoundingSet: '',
      RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
    };
    expect(Object.fromEntries(Object.keys(required).map((k) => [k, settings(unit, 'Service', k).join(' | ')]))).toEqual(required);
    expect(settings(unit, 'Service', 'SystemCallFilter')).toContain('@system-service');
    // V8's JIT needs writable executable memory: with this the exporter would not start.
    expect(settings(unit, 'Service', 'MemoryDenyWriteExecute')).toEqual([]);
    expect(settings(unit, 'Install', 'WantedBy')).toEqual(['multi-user.target']);
  });

  test('the sysusers file declares the unit user, without a login shell', () => {
    const lines = readFileSync(join(DIR, 'jobscheduler-exporter.sysusers'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2))).toEqual([['u', one('User')]]);
    expect(lines[0]).toMatch(/\/usr\/sbin\/nologin$/);
  });
});

/** A scratch root for systemd-analyze: this machine's systemd units and an executable at ExecStart. */
function scratchRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'jobscheduler-exporter-systemd-'));
  const units = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((d) => existsSync(d));
  if (!units) throw new Error('no systemd unit directory on this machine');
  mkdirSync(join(root, 'usr', 'lib', 'systemd'), { recursive: true });
  cpSync(realpathSync(units), join(root, 'usr', 'lib', 'systemd', 'system'), { recursive: true, verbatimSymlinks: true });
  symlinkSync('usr/lib', join(root, 'lib'));
  mkdirSync(join(root, 'etc', 'systemd', 'system'), { recursive: true });
  writeFileSync(join(root, 'etc', 'systemd', 'system', UNIT_NAME), text);
  const binary = join(root, execStart[0]!);
  mkdirSync(dirname(binary), { recursive: true });
  writeFileSync(binary, '#!/bin/sh\n');
  chmodSync(binary, 0o755);
  return root;
}

describeWithTools('deploy/systemd with systemd-analyze', ['systemd-analyze'], (tools) => {
  let root: string;
  beforeAll(() => {
    root = scratchRoot();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const verify = (unitName: string) =>
    run(tools['systemd-analyze']!, ['verify', `--root=${root}`, '--man=no', unitName]).then(
      (r) => ({ code: 0, output: `${r.stdout}${r.stderr}`.trim() }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: `${e.stdout}${e.stderr}`.trim() }),
    );

  test('systemd-analyze verify finds nothing', async () => {
    expect(await verify(UNIT_NAME)).toEqual({ code: 0, output: '' });
  });

  test('systemd-analyze verify reports a broken copy (so silence above means something)', async () => {
    const broken = text.replace('Restart=on-failure', 'Restart=on-failur').replace('ProtectHome=yes', 'ProtectHom=yes');
    writeFileSync(join(root, 'etc', 'systemd', 'system', 'broken.service'), broken);
    const { output } = await verify('broken.service');
    expect(output).toMatch(/Failed to parse service restart specifier/);
    expect(output).toMatch(/Unknown key 'ProtectHom'/);
  });

  test('systemd-analyze security --offline rates the unit OK (exposure at most 2.0 of 10)', async () => {
    const { stdout } = await run(tools['systemd-analyze']!, ['security', '--offline=yes', `--root=${root}`, '--no-pager', UNIT_NAME]);
    const level = /Overall exposure level for \S+: (\d+\.\d+) (\S+)/.exec(stdout);
    expect(level).not.toBeNull();
    expect(Number(level![1])).toBeLessThanOrEqual(2.0);
    expect(['OK', 'SAFE']).toContain(level![2]);
  });

  const sysusers = findTool('systemd-sysusers');
  (sysusers ? test : test.skip)(`systemd-sysusers creates the user${sysusers ? '' : ' (skipped: systemd-sysusers is not installed)'}`, async () => {
    mkdirSync(join(root, 'etc'), { recursive: true });
    await run(sysusers!, [`--root=${root}`, join(DIR, 'jobscheduler-exporter.sysusers')]);
    const passwd = readFileSync(join(root, 'etc', 'passwd'), 'utf8');
    expect(passwd).toMatch(/^jobscheduler-exporter:x:\d+:\d+:[^:]*:\/:\/usr\/sbin\/nologin$/m);
    expect(readFileSync(join(root, 'etc', 'group'), 'utf8')).toMatch(/^jobscheduler-exporter:x:\d+:/m);
  });
});
