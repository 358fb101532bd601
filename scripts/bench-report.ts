// Merges every `bench/results/<bench>.json` into `bench/results.json`,
// with the machine it ran on, and prints one table. After a full run
// (no result of `BENCH_SIZE=tiny`) it also rewrites the table in
// BENCHMARKS.md between its `bench-table` markers.
//
//   node scripts/bench-report.ts

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type {
  BenchResults,
  BenchRow,
  BenchTarget,
} from '@cloud-functions-dispatch/testing';

const root = join(import.meta.dirname, '..');
const resultsDir = join(root, 'bench', 'results');
const mergedFile = join(root, 'bench', 'results.json');
const docFile = join(root, 'BENCHMARKS.md');
const START = '<!-- bench-table:start -->';
const END = '<!-- bench-table:end -->';
const HEADER = [
  'measure',
  'case',
  'ours',
  'baseline',
  'baseline is',
  'ratio',
  'target',
  '',
];

const results = readResults();
if (results.length === 0) {
  console.error(`bench-report: no results in ${resultsDir}`);
  process.exit(1);
}

const size = results.every((r) => r.size === 'full') ? 'full' : 'tiny';
const machine = {
  nproc: cpus().length,
  memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  node: process.version,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
};
const rows = results.flatMap((r) => r.rows);
const merged = {
  date: new Date().toISOString(),
  size,
  machine,
  benches: results.map(({ bench, size, date }) => ({ bench, size, date })),
  rows,
};
writeFileSync(mergedFile, `${JSON.stringify(merged, null, 2)}\n`);

const table = tableLines(rows);
console.log('');
console.log(
  `Benchmarks (${size}; ${machine.nproc} CPUs ${machine.cpu}, ` +
    `${machine.memoryGiB} GiB, Node ${machine.node})`,
);
for (const line of table.text) console.log(line);
console.log(`\nwritten to ${mergedFile}`);

if (size === 'full' && updateDoc(table.markdown)) {
  console.log(`table updated in ${docFile}`);
}

function readResults(): BenchResults[] {
  if (!existsSync(resultsDir)) return [];
  const files = readdirSync(resultsDir).filter((name) =>
    name.endsWith('.json'),
  );
  const all: BenchResults[] = [];
  for (const name of files.sort()) {
    const text = readFileSync(join(resultsDir, name), 'utf8');
    const results = JSON.parse(text) as BenchResults;
    if (results.rows.every(isBenchRow)) all.push(results);
    else
      console.error(
        `bench-report: ${name} has rows of another shape; left out`,
      );
  }
  return all;
}

function isBenchRow(row: unknown): row is BenchRow {
  const fields = ['subject', 'case', 'unit', 'ours', 'ratio', 'target', 'met'];
  return (
    typeof row === 'object' &&
    row !== null &&
    fields.every((field) => field in row)
  );
}

function cells(row: BenchRow): string[] {
  return [
    row.subject,
    row.case,
    `${formatNumber(row.ours)} ${row.unit}`,
    row.baseline === null ? '' : formatNumber(row.baseline),
    row.baselineName ?? '',
    row.ratio === null ? '' : row.ratio.toFixed(2),
    row.target === null ? '' : formatTarget(row.target),
    row.met === null ? '' : row.met ? 'ok' : 'MISSED',
  ];
}

function tableLines(all: BenchRow[]): { text: string[]; markdown: string[] } {
  const body = all.map(cells);
  const widths = HEADER.map((_, column) =>
    Math.max(...[HEADER, ...body].map((line) => (line[column] ?? '').length)),
  );
  const pad = (line: string[]) =>
    line
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return {
    text: [pad(HEADER), ...body.map(pad)],
    markdown: markdownTable(body),
  };
}

/** A table padded the way the formatter (biome) writes Markdown tables. */
function markdownTable(body: string[][]): string[] {
  const escaped = [HEADER, ...body].map((line) =>
    line.map((cell) => cell.replaceAll('|', '\\|')),
  );
  const widths = HEADER.map((_, column) =>
    Math.max(3, ...escaped.map((line) => (line[column] ?? '').length)),
  );
  const row = (line: string[]) =>
    `| ${line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const [header = [], ...rows] = escaped;
  return [
    row(header),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.map(row),
  ];
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1000
    ? Math.round(value).toLocaleString('en-US')
    : String(value);
}

function formatTarget(target: BenchTarget): string {
  return `${target.on} ${target.op} ${target.value}`;
}

function updateDoc(markdown: string[]): boolean {
  if (!existsSync(docFile)) return false;
  const text = readFileSync(docFile, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return false;

  const machineLine =
    `Measured ${merged.date.slice(0, 10)} on ${machine.nproc} CPUs ` +
    `(${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}.`;
  const block = [START, '', machineLine, '', ...markdown, '', END].join('\n');
  writeFileSync(
    docFile,
    text.slice(0, start) + block + text.slice(end + END.length),
  );
  return true;
}
