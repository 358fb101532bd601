import type { DatabaseSync } from 'node:sqlite';
import Table from 'cli-table3';

/** What one run measured. */
export interface RunFigures {
  transport: string;
  calls: number;
  retries: number;
  wallSeconds: number;
  latenciesMs: number[];
}

/** Reads retries and per-call latency from what the worker recorded. */
export function readFigures(
  database: DatabaseSync,
  dispatchedAt: ReadonlyMap<number, number>,
): Pick<RunFigures, 'retries' | 'latenciesMs'> {
  const failed = database
    .prepare('SELECT COUNT(*) AS n FROM deliveries WHERE failed = 1')
    .get() as { n: number };
  const rows = database
    .prepare('SELECT user_id, applied_at_ms FROM applied_updates')
    .all() as Array<{ user_id: number; applied_at_ms: number }>;

  const latenciesMs = rows.map(
    (row) => row.applied_at_ms - (dispatchedAt.get(row.user_id) ?? 0),
  );
  return { retries: failed.n, latenciesMs };
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(
    sorted.length - 1,
    Math.ceil(share * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** The summary table printed at the end of a run. */
export function formatSummary(figures: RunFigures): string {
  const sorted = [...figures.latenciesMs].sort((a, b) => a - b);
  const plain = !process.stdout.isTTY;
  const table = new Table({
    head: ['measure', 'value'],
    ...(plain && { style: { head: [], border: [] } }),
  });
  table.push(
    ['transport', figures.transport],
    ['calls', String(figures.calls)],
    ['retries', String(figures.retries)],
    ['wall time', `${figures.wallSeconds.toFixed(2)} s`],
    ['calls per second', (figures.calls / figures.wallSeconds).toFixed(1)],
    ['latency p50', `${percentile(sorted, 0.5)} ms`],
    ['latency p95', `${percentile(sorted, 0.95)} ms`],
    ['latency p99', `${percentile(sorted, 0.99)} ms`],
  );
  return table.toString();
}
