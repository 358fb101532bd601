import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `BENCH_SIZE=tiny` asks every benchmark for a seconds-long smoke run. */
export type BenchSize = 'tiny' | 'full';

/** What a figure must reach: `ratio >= 0.9`, `ours < 150`, ... */
export interface BenchTarget {
  /** Which number the target bounds. */
  on: 'ratio' | 'ours';
  op: '>=' | '<=' | '<';
  value: number;
}

/**
 * One figure of a benchmark, in the shape every bench writes and
 * `scripts/bench-report.ts` merges: a median of repeated runs beside a
 * baseline measured in the same run (`null` where there is none).
 */
export interface BenchRow {
  /** The bench that measured it (its results file name). */
  bench: string;
  /** What is measured: `seal (encode+sign)`, `enqueue`, ... */
  subject: string;
  /** The case: a payload size, a transport. */
  case: string;
  /** Unit of `ours` and `baseline`: `ops/s`, `calls/s`, `bytes`, `MB`. */
  unit: string;
  ours: number;
  /** What `ours` is compared with: `JSON+gzip`, `raw createTask`. */
  baselineName: string | null;
  baseline: number | null;
  /** `ours / baseline`. */
  ratio: number | null;
  target: BenchTarget | null;
  /** Whether `target` is met; null without a target. */
  met: boolean | null;
  /** How many measured runs the medians come from. */
  runs: number;
  /** What limits the figure, when the bench knows. */
  note: string | null;
}

/** What {@link benchRow} needs; ratio and `met` are derived. */
export type BenchRowInput = Omit<
  BenchRow,
  'ratio' | 'met' | 'baselineName' | 'baseline' | 'target' | 'note'
> &
  Partial<Pick<BenchRow, 'baselineName' | 'baseline' | 'target' | 'note'>>;

/** A results file: `bench/results/<bench>.json`. */
export interface BenchResults {
  bench: string;
  size: BenchSize;
  node: string;
  /** ISO time the bench finished. */
  date: string;
  rows: BenchRow[];
}

/** The size asked for by `BENCH_SIZE` (`tiny`, else `full`). */
export function benchSize(): BenchSize {
  return process.env.BENCH_SIZE === 'tiny' ? 'tiny' : 'full';
}

/** Builds a row, computing `ratio` and whether the target is met. */
export function benchRow(input: BenchRowInput): BenchRow {
  const baseline = input.baseline ?? null;
  const ratio =
    baseline === null || baseline === 0 ? null : input.ours / baseline;
  const target = input.target ?? null;
  return {
    bench: input.bench,
    subject: input.subject,
    case: input.case,
    unit: input.unit,
    ours: round(input.ours),
    baselineName: input.baselineName ?? null,
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : Number(ratio.toFixed(3)),
    target,
    met: target === null ? null : meets(target, input.ours, ratio),
    runs: input.runs,
    note: input.note ?? null,
  };
}

/**
 * Writes `rows` to `bench/results/<bench>.json` at the repository root
 * and returns the file's path.
 */
export function writeBenchResults(bench: string, rows: BenchRow[]): string {
  const folder = join(repositoryRoot(), 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  const results: BenchResults = {
    bench,
    size: benchSize(),
    node: process.version,
    date: new Date().toISOString(),
    rows,
  };
  const file = join(folder, `${bench}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

function meets(
  target: BenchTarget,
  ours: number,
  ratio: number | null,
): boolean | null {
  const value = target.on === 'ratio' ? ratio : ours;
  if (value === null) return null;
  if (target.op === '>=') return value >= target.value;
  if (target.op === '<=') return value <= target.value;
  return value < target.value;
}

/** Whole numbers from 100 up, else three significant digits. */
function round(value: number): number {
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}

function repositoryRoot(): string {
  for (let folder = import.meta.dirname; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'pnpm-workspace.yaml'))) return folder;
    if (folder === dirname(folder)) {
      throw new Error('writeBenchResults: no pnpm-workspace.yaml above');
    }
  }
}
