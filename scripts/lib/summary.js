// Prints one closing line over the Jest and Playwright JSON reports:
// "tests: N passed, N failed, N skipped". Exits non-zero if any stage failed.
// Usage: node summary.js <reports-dir> [failed-stage...]
const fs = require('node:fs');
const path = require('node:path');

const [reportsDir, ...failedStages] = process.argv.slice(2);

function readJson(file) {
  const full = path.join(reportsDir, file);
  return fs.existsSync(full)
    ? JSON.parse(fs.readFileSync(full, 'utf8'))
    : undefined;
}

const totals = { passed: 0, failed: 0, skipped: 0 };

const jest = readJson('jest.json');
if (jest) {
  totals.passed += jest.numPassedTests;
  totals.failed += jest.numFailedTests;
  totals.skipped += jest.numPendingTests + (jest.numTodoTests ?? 0);
  console.log(
    `jest: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed in ${jest.numTotalTestSuites} suites`,
  );
}

// playwright.json (the portal's pages) and playwright-<name>.json (other runs,
// such as the adoption test).
const playwrightReports = fs.existsSync(reportsDir)
  ? fs
      .readdirSync(reportsDir)
      .filter(f => /^playwright(-[\w-]+)?\.json$/.test(f))
  : [];
for (const file of playwrightReports.sort()) {
  const playwright = readJson(file);
  const {
    expected = 0,
    unexpected = 0,
    flaky = 0,
    skipped = 0,
  } = playwright.stats ?? {};
  totals.passed += expected + flaky;
  totals.failed += unexpected;
  totals.skipped += skipped;
  console.log(
    `${file.replace(/\.json$/, '')}: ${
      expected + flaky
    } passed (${flaky} flaky), ${unexpected} failed`,
  );
}

if (failedStages.length > 0) {
  console.log(`failed stages: ${failedStages.join(', ')}`);
}
console.log(
  `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
);
process.exit(failedStages.length > 0 || totals.failed > 0 ? 1 : 0);
