'use strict';
/**
 * Prints jest's result as one line, `jest: N passed, N failed[, N skipped]`, which CI reads, and
 * before it the title of every skipped test with its file: a skip's title says why it skipped
 * (test/support/tools.ts, describeWithPlan), and jest's default reporter shows titles only with
 * --verbose, so without this a run of many files says "3 skipped" and not why.
 */
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const lines = [];
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending' && test.status !== 'todo') continue;
        const where = path.relative(this.rootDir, file.testFilePath).split(path.sep).join('/');
        lines.push(`  ${where}: ${[...test.ancestorTitles, test.title].join(' › ')}`);
      }
    }
    if (lines.length > 0) process.stdout.write(`skipped, and why:\n${lines.join('\n')}\n`);
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed` +
        (skipped ? `, ${skipped} skipped` : '') +
        '\n',
    );
  }
}
module.exports = SummaryReporter;
