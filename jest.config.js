/**
 * Most test files wait on real processes, sockets and timers (the binary, the simulator,
 * Prometheus, Alertmanager) rather than on the CPU, so more workers than cores pay: on 2 cores,
 * 6 workers take the suite from one file after the other to about a third of that
 * (docs/performance.md, "Test suite"). `--maxWorkers` overrides it. The sequencer starts the
 * longest files first.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testSequencer: '<rootDir>/test/support/sequencer.js',
  maxWorkers: 6,
  testTimeout: 30000,
};
