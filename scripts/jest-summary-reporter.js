// Ends a test run with one plain line, "tests: N passed, N failed", that any CI can read, after the
// skipped tests by name (their names say why they were skipped: a suite that needs Redis, say).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skippedNames = results.testResults.flatMap((file) => file.testResults.filter((test) => test.status === 'pending' || test.status === 'todo').map((test) => test.fullName));
    for (const name of skippedNames) process.stdout.write(`\nskipped: ${name}`);
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
