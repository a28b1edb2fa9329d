import { join } from 'node:path';

import { loadConfig, parseConfig, summarise } from '../../../src/config';
import { FIXTURES, inlineTls, tempDir } from './support';

describe('summarise', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    dir.remove();
  });

  it.each([
    [
      'valid-minimal.yaml',
      'is valid: 1 JOC Cockpit instance (default: JobSchedulers discovered), ' +
        'poll "*/30 * * * * *" with 10 s timeout, listening on 0.0.0.0:9446',
    ],
    [
      'valid-full.yaml',
      'is valid: 2 JOC Cockpit instances (primary: 2 JobSchedulers, 2 job chains, 1 job; backup: JobSchedulers discovered), ' +
        'poll "*/5 * * * *" with 2.5 s timeout, ' +
        'listening on 127.0.0.1:9999 with TLS (RequireAndVerifyClientCert) and basic auth for 2 users',
    ],
  ])('describes %s in one line', async (file, description) => {
    const path = join(FIXTURES, file);
    expect(summarise(await loadConfig(path, {}))).toBe(`config ${path} ${description}`);
  });

  it('writes an IPv6 host in brackets, and TLS or basic auth alone', async () => {
    dir.write('tls.yml', inlineTls());
    dir.write('auth.yml', 'basic_auth_users:\n  prometheus: $2b$04$2xIQdd50hE.ZHeY8DoKm8.1cTO3dQXYVtol9xORl46eCMefjwRBhK\n');
    const config = (web: string) =>
      `listen:\n  host: "::"\n  port: 0\n  webConfigFile: ${web}\n` +
      'joc:\n  - url: http://joc\n    user: root\n    password: pw\n    jobschedulers:\n      - id: a\n';
    const line = async (web: string) => summarise(await parseConfig(config(web), 'config.yaml', {}, dir.root));
    expect(await line('tls.yml')).toBe(
      'config config.yaml is valid: 1 JOC Cockpit instance (default: 1 JobScheduler, 0 job chains, 0 jobs), ' +
        'poll "*/30 * * * * *" with 10 s timeout, listening on [::]:0 with TLS',
    );
    expect(await line('auth.yml')).toMatch(/listening on \[::\]:0 with basic auth for 1 user$/);
  });
});
