import { join } from 'node:path';

import { loadConfig, parseConfig } from '../../../src/config';
import { problemLines, SERVER_CERT, SERVER_KEY, tempDir } from './support';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  dir.remove();
});

const withPasswordFile = (file: string) => `joc:\n  - url: http://joc\n    user: root\n    passwordFile: ${file}\n`;

describe('passwordFile', () => {
  it.each([
    ['a trailing \\n', 'secret\n', 'secret'],
    ['a trailing \\r\\n', 'secret\r\n', 'secret'],
    ['two trailing line breaks, one of which stays', 'secret\n\n', 'secret\n'],
    ['no line break', 'secret', 'secret'],
    ['spaces, which are part of the password', ' secret \n', ' secret '],
  ])('strips one line break from %s', async (_what, content, password) => {
    dir.write('password', content);
    const config = await loadConfig(dir.write('config.yaml', withPasswordFile('password')), {});
    expect(config.joc[0]?.password.reveal()).toBe(password);
  });

  it.each([
    ['empty', ''],
    ['a line break only', '\n'],
  ])('reports a file that is %s', async (_what, content) => {
    const file = dir.write('password', content);
    expect(await problemLines(loadConfig(dir.write('config.yaml', withPasswordFile('password')), {}))).toEqual([
      `joc[0].passwordFile: ${file} is empty`,
    ]);
  });

  it('reports a file that is a directory, with its absolute path', async () => {
    dir.write('secrets/.keep', '');
    expect(await problemLines(loadConfig(dir.write('config.yaml', withPasswordFile('secrets')), {}))).toEqual([
      `joc[0].passwordFile: cannot read ${join(dir.root, 'secrets')}: is a directory`,
    ]);
  });
});

describe('relative file paths', () => {
  it('resolve against the directory of the config file, and those of the web config against its own', async () => {
    dir.write('conf/secrets/password', 'from-file\n');
    const ca = dir.write('ca.pem', SERVER_CERT);
    dir.write('conf/web/tls/server.crt', SERVER_CERT);
    dir.write('conf/web/tls/server.key', SERVER_KEY);
    const web = dir.write('conf/web/web.yml', 'tls_server_config:\n  cert_file: tls/server.crt\n  key_file: tls/server.key\n');
    const file = dir.write(
      'conf/config.yaml',
      'listen:\n  webConfigFile: web/web.yml\njoc:\n  - url: http://joc\n    user: root\n' +
        '    passwordFile: secrets/password\n    tls:\n      caFile: ../ca.pem\n',
    );
    const config = await loadConfig(file, {});
    expect(config.listen.webConfigFile).toBe(web);
    expect(config.listen.web?.tls).toMatchObject({ cert: SERVER_CERT, key: SERVER_KEY });
    expect(config.joc[0]?.password.reveal()).toBe('from-file');
    expect(config.joc[0]?.tls).toEqual({ caFile: ca, ca: SERVER_CERT, insecureSkipVerify: false });
  });

  it('resolve against the baseDir given to parseConfig', async () => {
    dir.write('password', 'pw');
    const config = await parseConfig(withPasswordFile('password'), 'inline.yaml', {}, dir.root);
    expect(config.joc[0]?.password.reveal()).toBe('pw');
  });

  it('stay as they are when absolute', async () => {
    const file = dir.write('elsewhere/password', 'pw');
    const config = await parseConfig(withPasswordFile(file), 'inline.yaml', {}, '/nonexistent');
    expect(config.joc[0]?.password.reveal()).toBe('pw');
  });

  it('a JOC CA file without a certificate is refused (Node would trust its default roots instead)', async () => {
    dir.write('empty.pem', '');
    dir.write('key.pem', SERVER_KEY);
    const yaml = (ca: string, name: string) =>
      `  - name: ${name}\n    url: https://joc\n    user: root\n    password: pw\n    tls:\n      caFile: ${ca}\n`;
    const config = 'joc:\n' + yaml('empty.pem', 'a') + yaml('key.pem', 'b');
    expect(await problemLines(parseConfig(config, 'inline.yaml', {}, dir.root))).toEqual([
      'joc[0].tls.caFile: holds no certificate (no -----BEGIN CERTIFICATE----- block)',
      'joc[1].tls.caFile: holds no certificate (no -----BEGIN CERTIFICATE----- block)',
    ]);
  });

  it('are reported with their resolved path when they cannot be read', async () => {
    const yaml = 'listen:\n  webConfigFile: web.yml\njoc:\n  - url: http://joc\n    user: root\n    password: pw\n    tls:\n      caFile: ca.pem\n';
    expect(await problemLines(parseConfig(yaml, 'inline.yaml', {}, dir.root))).toEqual([
      `listen.webConfigFile: cannot read ${join(dir.root, 'web.yml')}: no such file`,
      `joc[0].tls.caFile: cannot read ${join(dir.root, 'ca.pem')}: no such file`,
    ]);
  });
});
