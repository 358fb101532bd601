// Runs the reliability suites (tests/e2e/src/faults and src/fuzz, and
// the receiver's key, OIDC and shutdown tests) with vitest's JSON
// reporter, then writes the figures they left in their task meta into
// RELIABILITY.md, between the markers, leaving the rest of the page alone.
// Usage: node scripts/reliability.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

interface Figures {
  scenario: string;
  calls: number;
  lost: number;
  duplicatesApplied: number;
  crashes?: number;
  seconds: number;
  notes: string;
  answers?: Record<string, Record<string, number>>;
}

interface AssertionResult {
  fullName: string;
  status: string;
  duration?: number | null;
  meta?: { reliability?: Figures };
}

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { assertionResults: AssertionResult[] }[];
}

interface Suite {
  readonly name: string;
  readonly cwd: string;
  readonly files: readonly string[];
}

const root = join(import.meta.dirname, '..');
const SUITES: readonly Suite[] = [
  {
    name: 'e2e',
    cwd: join(root, 'tests/e2e'),
    files: ['src/faults', 'src/fuzz'],
  },
  {
    name: 'receiver-gcf',
    cwd: join(root, 'packages/receiver-gcf'),
    files: [
      'src/signing-check.test.ts',
      'src/key-rotation.test.ts',
      'src/oidc.test.ts',
      'src/graceful-shutdown.test.ts',
    ],
  },
];
const START = '<!-- reliability:figures:start -->';
const END = '<!-- reliability:figures:end -->';

const folder = mkdtempSync(join(tmpdir(), 'reliability-'));
const results: AssertionResult[] = [];
let failed = 0;
try {
  for (const suite of SUITES) {
    const report = runSuite(suite, join(folder, `${suite.name}.json`));
    failed += report.numFailedTests;
    for (const file of report.testResults) {
      results.push(...file.assertionResults);
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const page = join(root, 'RELIABILITY.md');
const text = readFileSync(page, 'utf8');
writeFileSync(page, replaceFigures(text, render(results)));
// The tables are written plainly; the formatter pads them as lint expects.
spawnSync('biome', ['format', '--write', page], {
  cwd: root,
  stdio: 'inherit',
});
console.log(
  `RELIABILITY.md updated: ${results.length} tests, ${failed} failed`,
);
process.exit(failed === 0 ? 0 : 1);

function runSuite(suite: Suite, output: string): JsonReport {
  const vitest = join(root, 'node_modules/.bin/vitest');
  const run = spawnSync(
    vitest,
    [
      'run',
      ...suite.files,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${output}`,
    ],
    { cwd: suite.cwd, stdio: 'inherit' },
  );
  try {
    return JSON.parse(readFileSync(output, 'utf8')) as JsonReport;
  } catch (error) {
    throw new Error(
      `reliability: vitest in ${suite.cwd} wrote no report (exit ${run.status})`,
      { cause: error },
    );
  }
}

function render(tests: AssertionResult[]): string {
  const figures = tests.flatMap((test) =>
    test.meta?.reliability ? [test.meta.reliability] : [],
  );
  const rows = figures.map(
    (f) =>
      `| ${f.scenario} | ${f.calls.toLocaleString('en')} | ${f.lost} | ` +
      `${f.duplicatesApplied} | ${f.crashes ?? '-'} | ${f.seconds} | ${f.notes} |`,
  );
  const answers = figures.flatMap((f) =>
    Object.entries(f.answers ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, counts]) => `| ${kind} | ${describeCounts(counts)} |`),
  );
  const checks = tests.map(
    (test) =>
      `| ${test.status === 'passed' ? 'pass' : test.status} | ${test.fullName} |`,
  );
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} with Node ` +
      `${process.version} on ${availableParallelism()} cores (${cpu}).`,
    '',
    '| scenario | calls / inputs | lost | duplicates applied | crashes | time (s) | notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    'How the fuzz inputs were answered, by kind:',
    '',
    '| input | answers (status reason: count) |',
    '| --- | --- |',
    ...answers,
    '',
    "The tests behind the receiver's guarantees:",
    '',
    '| result | test |',
    '| --- | --- |',
    ...checks,
  ].join('\n');
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([answer, count]) => `${answer}: ${count.toLocaleString('en')}`)
    .join(', ');
}

function replaceFigures(text: string, figures: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`reliability: RELIABILITY.md lacks ${START} ... ${END}`);
  }
  return `${text.slice(0, start + START.length)}\n${figures}\n${text.slice(end)}`;
}
