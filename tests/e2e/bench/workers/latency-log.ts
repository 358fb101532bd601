// Where the end-to-end bench workers note each execution: how long after
// it was sent it ran (ms), one number per line, appended to the file
// named by E2E_LATENCY_FILE in batches so the bookkeeping costs little.
import { appendFileSync } from 'node:fs';

/** Environment variable naming the file the latencies go to. */
export const LATENCY_FILE_ENV = 'E2E_LATENCY_FILE';

/** Milliseconds since the epoch, with the sub-millisecond part. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

const pending: string[] = [];
let flushScheduled = false;

/** Notes one execution of a call sent at `sentAt` (see {@link preciseNow}). */
export function recordLatency(sentAt: number): void {
  pending.push((preciseNow() - sentAt).toFixed(3));
  if (!flushScheduled) setTimeout(flush, 20);
  flushScheduled = true;
}

function flush(): void {
  flushScheduled = false;
  const file = process.env[LATENCY_FILE_ENV];
  if (!file) throw new Error(`${LATENCY_FILE_ENV} is not set`);
  appendFileSync(file, `${pending.join('\n')}\n`);
  pending.length = 0;
}
