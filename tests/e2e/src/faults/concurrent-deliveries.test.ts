// One call delivered 50 times at once (50 parallel HTTP requests with the
// same push body) to a real worker: with the SQLite idempotency store it
// runs once; without one, every delivery runs it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  closeDispatch,
  configureDispatch,
  parseSigningKeys,
} from '@cloud-functions-dispatch/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrameCapture } from '../fixtures/frame-capture.ts';
import { createSigningKeysText } from '../fixtures/signing.ts';
import {
  startWorkerProcess,
  type WorkerProcess,
} from '../fixtures/worker-process.ts';
import { reportFigures, secondsSince } from './figures.ts';
import { LEDGER_PATH_ENV, openLedger, summarize } from './ledger.ts';
import { applyOnce } from './ledger-functions.ts';

const WORKER = fileURLToPath(new URL('./ledger-worker.ts', import.meta.url));
const DELIVERIES = 50;
const WORK_MS = 500;

interface Answer {
  status: number;
  reason: string;
}

describe('one call delivered 50 times at once', () => {
  const keysText = createSigningKeysText();
  const capture = createFrameCapture();
  const workers: WorkerProcess[] = [];
  let folder = '';

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'concurrent-'));
    configureDispatch({
      transport: capture,
      signing: { keys: parseSigningKeys(keysText) },
    });
  });

  afterAll(async () => {
    await closeDispatch();
    for (const worker of workers) await worker.process.stop(0);
    await rm(folder, { recursive: true, force: true });
  });

  async function startWorker(name: string, withStore: boolean) {
    const path = join(folder, `${name}.db`);
    const env: Record<string, string> = {
      DISPATCH_SIGNING_KEYS: keysText,
      [LEDGER_PATH_ENV]: path,
    };
    if (withStore) env.FAULT_IDEMPOTENCY_PATH = path;
    const worker = await startWorkerProcess({ source: WORKER, env });
    workers.push(worker);
    return { worker, path };
  }

  /** A push body carrying the frame of one fresh call. */
  async function pushBody(label: string): Promise<string> {
    await applyOnce(label, WORK_MS);
    const message = capture.last();
    return JSON.stringify({
      message: {
        data: Buffer.from(message.frame).toString('base64'),
        attributes: message.attributes,
        messageId: `push-${label}`,
        publishTime: new Date().toISOString(),
      },
      subscription: 'projects/faults/subscriptions/concurrent',
    });
  }

  async function deliver(url: string, body: string): Promise<Answer> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const answer = (await response.json()) as { reason: string };
    return { status: response.status, reason: answer.reason };
  }

  /**
   * Delivers `body` 50 times in parallel, then, like Pub/Sub, again each
   * delivery answered with a non-2xx until all are acknowledged.
   */
  async function deliverConcurrently(url: string, body: string) {
    const first = await Promise.all(
      Array.from({ length: DELIVERIES }, () => deliver(url, body)),
    );
    let pending = first.filter((answer) => answer.status !== 200).length;
    for (let round = 0; pending > 0 && round < 100; round += 1) {
      await sleep(100);
      const again = await Promise.all(
        Array.from({ length: pending }, () => deliver(url, body)),
      );
      pending = again.filter((answer) => answer.status !== 200).length;
    }
    return { first, pending };
  }

  function countReasons(answers: Answer[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { status, reason } of answers) {
      const key = `${status} ${reason}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  it('runs it once with the SQLite store: one 200 completed, the rest in-progress or duplicate', async (context) => {
    const started = performance.now();
    const { worker, path } = await startWorker('with-store', true);
    const body = await pushBody('with-store');

    const { first, pending } = await deliverConcurrently(worker.url, body);
    const ledger = openLedger(path);
    const summary = summarize(ledger);
    ledger.close();
    const runs = [...summary.applied.values()];

    reportFigures(context, {
      scenario: `one push body delivered ${DELIVERIES} times at once, SQLite store`,
      calls: 1,
      lost: runs.length === 0 ? 1 : 0,
      duplicatesApplied: Math.max(0, summary.appliedRows - 1),
      seconds: secondsSince(started),
      notes: `first answers: ${JSON.stringify(countReasons(first))}`,
    });
    expect(pending).toBe(0);
    expect(runs).toEqual([1]);
    const reasons = new Set(first.map((answer) => answer.reason));
    expect([...reasons].sort()).toEqual(
      expect.arrayContaining(['completed', 'in-progress']),
    );
    expect(
      first.filter((answer) => answer.reason === 'completed'),
    ).toHaveLength(1);
  }, 60_000);

  it('runs it on every delivery without a store (what the store prevents)', async () => {
    const { worker, path } = await startWorker('without-store', false);
    const body = await pushBody('without-store');

    const { first } = await deliverConcurrently(worker.url, body);
    const ledger = openLedger(path);
    const summary = summarize(ledger);
    ledger.close();

    expect(countReasons(first)).toEqual({ '200 completed': DELIVERIES });
    expect(summary.appliedRows).toBe(DELIVERIES);
  }, 60_000);
});
