import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import * as webConfig from '../../src/config/web-config';
import type { WebConfig } from '../../src/config/types';
import { WebConfigWatch } from '../../src/web-config-watch';
import { captureLogger } from '../support/logs';

// The watch reads the web config file (and the files it names) every second, but validates it
// again only when one of them changed: an unchanged file costs reads, not a YAML parse, the
// schema and the X.509 checks. The checks are called directly; the interval never fires.

const users = (...names: string[]): string =>
  `basic_auth_users:\n${names.map((name) => `  ${name}: ${bcrypt.hashSync('secret', 4)}\n`).join('')}`;

describe('WebConfigWatch', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jse-watch-'));
    jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an unchanged file is read but not validated again; a changed one is, and applied', async () => {
    const path = join(dir, 'web.yml');
    writeFileSync(path, users('alice'));
    const first = await webConfig.loadWebConfigFile(path);
    if (!first.ok) throw new Error('fixture invalid');
    const applied: WebConfig[] = [];
    const logs = captureLogger('debug');
    const loads = jest.fn(webConfig.loadWebConfigFile);
    const watch = new WebConfigWatch(path, first.web, (web) => applied.push(web), logs.logger, loads);
    watch.start();
    try {
      for (let i = 0; i < 3; i++) await watch.check();
      // The first check validates (the watch does not know what the start-up config was read from).
      expect(loads).toHaveBeenCalledTimes(1);
      expect(applied).toHaveLength(0);
      writeFileSync(path, users('alice', 'bob'));
      await watch.check();
      await watch.check();
      expect(loads).toHaveBeenCalledTimes(2);
      expect(applied.map((web) => [...web.basicAuthUsers.keys()])).toEqual([['alice', 'bob']]);
      expect(logs.lines().filter((line) => line.includes('web config file reloaded'))).toHaveLength(1);
    } finally {
      watch.stop();
    }
  });

  test('an invalid file is validated at every check (a file it names may appear) and logged once', async () => {
    const path = join(dir, 'web.yml');
    writeFileSync(path, users('alice'));
    const first = await webConfig.loadWebConfigFile(path);
    if (!first.ok) throw new Error('fixture invalid');
    const logs = captureLogger('debug');
    const applied: WebConfig[] = [];
    const loads = jest.fn(webConfig.loadWebConfigFile);
    const watch = new WebConfigWatch(path, first.web, (web) => applied.push(web), logs.logger, loads);
    watch.start();
    try {
      await watch.check();
      writeFileSync(path, 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n');
      await watch.check();
      await watch.check();
      expect(loads).toHaveBeenCalledTimes(3);
      expect(logs.lines().filter((line) => line.includes('web config file is invalid'))).toHaveLength(1);
      expect(applied).toHaveLength(0);
    } finally {
      watch.stop();
    }
  });
});
