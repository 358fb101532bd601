// `pnpm bench`: clears earlier results, runs every package's `bench`
// script through turbo one package at a time, then merges what they wrote
// into one table (scripts/bench-report.ts). `BENCH_SIZE=tiny` makes it a
// smoke run. Exits non-zero when a bench failed; the table still prints
// what the others measured.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
rmSync(join(root, 'bench', 'results'), { recursive: true, force: true });

const turbo = spawnSync(
  'turbo',
  [
    'run',
    'bench',
    '--concurrency=1',
    '--continue',
    '--output-logs=errors-only',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
const report = spawnSync(
  process.execPath,
  [join(root, 'scripts', 'bench-report.ts')],
  { cwd: root, stdio: 'inherit' },
);
process.exit(turbo.status === 0 && report.status === 0 ? 0 : 1);
