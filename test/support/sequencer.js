'use strict';
/**
 * Runs the longest test files first, so that the workers finish together instead of one long file
 * starting last. Jest orders by the durations of the previous run, kept in its cache; on a fresh
 * clone there are none and it orders by file size, which puts the soak (a small file that runs for
 * half a minute) near the end. Files without a recorded duration get an estimate from where they
 * live: the ones that start processes and wait on real time first.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** Estimated seconds of a file without a recorded duration, by path; the first match counts. */
const ESTIMATES = [
  [/[\\/]test[\\/]integration[\\/]soak\.test\.ts$/, 30],
  [/[\\/]test[\\/]integration[\\/]faults\.test\.ts$/, 30],
  [/[\\/]test[\\/]e2e[\\/]/, 20],
  [/[\\/]test[\\/]ops[\\/]npm-package\.test\.ts$/, 25],
  [/[\\/]test[\\/]ops[\\/]prometheus-live\.test\.ts$/, 15],
  [/[\\/]test[\\/]integration[\\/]/, 5],
];
const DEFAULT_ESTIMATE = 0.5;

function estimate(path) {
  for (const [pattern, seconds] of ESTIMATES) if (pattern.test(path)) return seconds;
  return DEFAULT_ESTIMATE;
}

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const seconds = (test) => {
      const cached = this._getCache(test)[test.path];
      return cached ? cached[1] / 1000 : estimate(test.path);
    };
    // Failed files first (Jest's own rule: they tell soonest whether a fix worked), then longest.
    const failed = (test) => (this._getCache(test)[test.path]?.[0] === 0 ? 1 : 0);
    return [...tests].sort((a, b) => failed(b) - failed(a) || seconds(b) - seconds(a));
  }
}

module.exports = LongestFirstSequencer;
module.exports.estimate = estimate;
