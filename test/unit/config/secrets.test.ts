import { join } from 'node:path';
import { inspect } from 'node:util';

import { ConfigError, loadConfig, parseConfig, summarise } from '../../../src/config';
import { parseWebConfig } from '../../../src/config/web-config';
import { FIXTURES } from './support';

/** The password of the invalid fixtures, and of the inline configs below. */
const PASSWORD = 'hunter2-fixture';

/** Everything of an error that could reach a terminal or a log. */
function everyText(error: unknown): string {
  if (!(error instanceof ConfigError)) throw error;
  return [error.message, String(error), error.stack, inspect(error), JSON.stringify(error), ...error.lines()].join('\n');
}

async function failure(loading: Promise<unknown>): Promise<string> {
  return everyText(await loading.then(() => new Error('loaded'), (error: unknown) => error));
}

const joc = (lines: string) => `joc:\n  - url: http://joc\n    user: root\n${lines}`;

describe('a password never appears in a problem', () => {
  it.each(['invalid-many.yaml', 'invalid-syntax.yaml', 'invalid-url.yaml'])('of %s', async (file) => {
    const text = await failure(loadConfig(join(FIXTURES, file), {}));
    expect(text).toContain('problem');
    expect(text).not.toContain(PASSWORD);
  });

  it.each([
    ['of the wrong type', joc('    password: 1234567\n'), '1234567'],
    ['in a list', joc(`    password: [${PASSWORD}]\n`), PASSWORD],
    ['with a malformed reference', joc(`    password: "${PASSWORD}\${"\n`), PASSWORD],
    ['given with passwordFile', joc(`    password: ${PASSWORD}\n    passwordFile: /nonexistent\n`), PASSWORD],
    ['under a misspelt key', joc(`    passwort: ${PASSWORD}\n`), PASSWORD],
    ['in the URL', `joc:\n  - url: https://root:${PASSWORD}@joc\n    user: root\n    password: x\n`, PASSWORD],
    ['in a URL that is not http', `joc:\n  - url: ftp://root:${PASSWORD}@joc\n    user: root\n    password: x\n`, PASSWORD],
    ['on a line with a syntax error', joc(`    password: '${PASSWORD}\n`), PASSWORD],
    ['from the environment, with other problems', joc('    password: ${PW}\n    tls: 1\n'), PASSWORD],
  ])('%s', async (_what, yaml, secret) => {
    const text = await failure(parseConfig(yaml, 'inline.yaml', { PW: PASSWORD }));
    expect(text).toContain('problem');
    expect(text).not.toContain(secret);
  });

  it('of a web config, for private keys and basic auth entries', async () => {
    const result = await parseWebConfig(
      `tls_server_config:\n  cert: C\n  key: [${PASSWORD}]\nbasic_auth_users:\n  alice: ${PASSWORD}\n  bob: 1234567\n`,
      FIXTURES,
    );
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    expect(text).toContain('basic_auth_users.bob');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('1234567');
  });
});

describe('a valid config', () => {
  it('holds the password in a Secret that only reveal() shows', async () => {
    const config = await parseConfig(joc(`    password: ${PASSWORD}\n`), 'inline.yaml', {});
    for (const text of [summarise(config), JSON.stringify(config), inspect(config, { depth: null }), String(config.joc[0]?.password)]) {
      expect(text).not.toContain(PASSWORD);
    }
    expect(config.joc[0]?.password.reveal()).toBe(PASSWORD);
  });
});
