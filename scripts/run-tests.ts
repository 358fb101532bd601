// Runs every package's tests through turbo, then prints one closing line
// built from vitest's own counts, so CI can read `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
}

const root = join(import.meta.dirname, '..');
const packageDirs = ['packages', 'apps', 'tests'].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => join(root, group, name)),
);
const reportPath = (dir: string) => join(dir, '.vitest', 'results.json');

for (const dir of packageDirs) rmSync(reportPath(dir), { force: true });

const turboArgs = ['run', 'test', '--concurrency=1', '--continue'];
const turbo = spawnSync('turbo', [...turboArgs, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
let brokenSuites = 0;
for (const dir of packageDirs) {
  if (!existsSync(reportPath(dir))) continue;
  const report = JSON.parse(
    readFileSync(reportPath(dir), 'utf8'),
  ) as VitestJsonReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  brokenSuites += report.numFailedTestSuites;
}

if (brokenSuites > 0) {
  console.log(`${brokenSuites} test files failed to run`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
const ok = turbo.status === 0 && failed === 0 && brokenSuites === 0;
process.exit(ok ? 0 : 1);
