import { describeListenError, listenLogFields, localUrl } from '../../src/listen';

const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`listen ${code}`), { code });

test.each([
  ['EADDRINUSE', /^cannot listen on 0\.0\.0\.0:9446: listen\.port 9446 is in use by another process/],
  ['EACCES', /^cannot listen on 0\.0\.0\.0:9446: listen\.port 9446 needs privileges/],
  ['EADDRNOTAVAIL', /^cannot listen on 0\.0\.0\.0:9446: listen\.host 0\.0\.0\.0 is no address of this machine/],
])('%s names the key to change and the address', (code, sentence) => {
  expect(describeListenError(error(code), { host: '0.0.0.0', port: 9446 })).toMatch(sentence);
});

test('an IPv6 host is written in brackets', () => {
  expect(describeListenError(error('EADDRINUSE'), { host: '::', port: 9446 })).toMatch(/^cannot listen on \[::\]:9446: /);
});

test('other errors are no listen errors', () => {
  expect(describeListenError(error('ECONNRESET'), { host: '::', port: 1 })).toBeNull();
  expect(describeListenError(new Error('boom'), { host: '::', port: 1 })).toBeNull();
  expect(describeListenError(undefined, { host: '::', port: 1 })).toBeNull();
});

describe('the start-up line says where the server listens, as bound', () => {
  test('a wildcard host is shown as such, with the interfaces and a local URL beside it', () => {
    expect(listenLogFields('http', '0.0.0.0', 9448)).toEqual({ address: 'http://0.0.0.0:9448', interfaces: 'all IPv4', localUrl: 'http://127.0.0.1:9448' });
    expect(listenLogFields('https', '::', 9448)).toEqual({ address: 'https://[::]:9448', interfaces: 'all (IPv6 and IPv4)', localUrl: 'https://127.0.0.1:9448' });
  });

  test('one address is shown as it is', () => {
    expect(listenLogFields('http', '127.0.0.1', 1234)).toEqual({ address: 'http://127.0.0.1:1234' });
    expect(listenLogFields('http', '::1', 1234)).toEqual({ address: 'http://[::1]:1234' });
    expect(localUrl('http', '::1', 1234)).toBe('http://[::1]:1234');
  });
});
