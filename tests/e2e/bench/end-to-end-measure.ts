// Measuring one side of the end-to-end bench: a burst for the rate, then
// calls paced well below it for the latency, read back from the file the
// worker notes each execution in (see workers/latency-log.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  median,
  percentile,
  uniqueName,
} from '@cloud-functions-dispatch/testing';
import { pool, TINY } from './support.ts';
import { preciseNow } from './workers/latency-log.ts';

const RUNS = TINY ? 1 : 3;
const WARM_UP_RUNS = TINY ? 0 : 1;
/** Calls of the burst that gives the rate. */
export const BURST_CALLS: number = TINY ? 100 : 2_000;
/** Calls paced for the latency figures, and their rate per second. */
export const PACED_CALLS: number = TINY ? 30 : 300;
export const PACED_PER_SECOND = 100;
const BURST_CONCURRENCY = 64;

/** Measured rounds behind each median. */
export const MEASURED_RUNS: number = RUNS;

/** One way of sending calls into a worker that notes their latency. */
export interface Side {
  send(sentAt: number): Promise<unknown>;
  latencyFile: string;
}

export interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
}

/** A fresh file for a worker to note latencies in. */
export function latencyFile(label: string): string {
  return join(tmpdir(), `${uniqueName(label)}.latency`);
}

function readLatencies(file: string): number[] {
  const text = readFileSync(file, 'utf8').trim();
  return text === '' ? [] : text.split('\n').map(Number);
}

async function waitForLatencies(file: string, count: number) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const latencies = readLatencies(file);
    if (latencies.length >= count) return latencies;
    if (Date.now() > deadline) {
      throw new Error(`end-to-end: ${latencies.length} of ${count} ran`);
    }
    await sleep(20);
  }
}

async function measure(side: Side): Promise<Figures> {
  writeFileSync(side.latencyFile, '');
  const start = performance.now();
  await pool(BURST_CALLS, BURST_CONCURRENCY, () => side.send(preciseNow()));
  await waitForLatencies(side.latencyFile, BURST_CALLS);
  const perSecond = BURST_CALLS / ((performance.now() - start) / 1000);

  writeFileSync(side.latencyFile, '');
  const sends: Promise<unknown>[] = [];
  for (let index = 0; index < PACED_CALLS; index++) {
    sends.push(side.send(preciseNow()));
    await sleep(1000 / PACED_PER_SECOND);
  }
  await Promise.all(sends);
  const latencies = await waitForLatencies(side.latencyFile, PACED_CALLS);
  return {
    perSecond,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Alternating rounds of both sides; the medians of each figure. */
export async function compareSides(ours: Side, raw: Side) {
  const figures = { ours: [] as Figures[], raw: [] as Figures[] };
  for (let round = 0; round < WARM_UP_RUNS + RUNS; round++) {
    const order =
      round % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const);
    for (const name of order) {
      const measured = await measure(name === 'ours' ? ours : raw);
      if (round >= WARM_UP_RUNS) figures[name].push(measured);
    }
  }
  const pick = (list: Figures[], key: keyof Figures) =>
    median(list.map((f) => f[key]));
  return (key: keyof Figures) =>
    [pick(figures.ours, key), pick(figures.raw, key)] as const;
}
