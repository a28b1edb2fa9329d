import { describeListenError } from '../../src/listen-error';

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
