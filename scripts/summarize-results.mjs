// Adds up vitest JSON reports and prints the closing line "N passed, N failed".
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    failed += 1;
    console.error(`missing test report ${file}: the run crashed before reporting`);
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  // A file that failed to load has no failing test in it but must still fail the run.
  failed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
}
// Skipped tests (the PostgreSQL-only cases, in a PGlite pass) get a line of their own: the last is
// exactly "N passed, N failed".
if (skipped) console.log(`\n${skipped} skipped`);
console.log(`${skipped ? '' : '\n'}${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
