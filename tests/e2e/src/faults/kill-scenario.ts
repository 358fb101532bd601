// The shared steps of the kill -9 tests: start a ledger worker with the
// SQLite store, send calls through whatever transport the test connected,
// kill the worker while bodies run, start it again on the same port and
// count what the ledger shows.

import type { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@cloud-functions-dispatch/testing';
import {
  startWorkerProcess,
  type WorkerProcess,
} from '../fixtures/worker-process.ts';
import type { ReliabilityFigures } from './figures.ts';
import { secondsSince } from './figures.ts';
import { LEDGER_PATH_ENV, openLedger, summarize } from './ledger.ts';
import { applyOnce } from './ledger-functions.ts';

const WORKER = fileURLToPath(new URL('./ledger-worker.ts', import.meta.url));

/** Table of the SQLite idempotency store (its README documents it). */
const STORE_TABLE = 'dispatch_idempotency';

/** Options of {@link runKillScenario}. */
export interface KillScenarioOptions {
  scenario: string;
  /** The SQLite file of the ledger and the store. */
  path: string;
  /** Environment of the worker (keys, emulator variables). */
  env: Record<string, string>;
  /** Points the default dispatcher at the worker. */
  connect(worker: WorkerProcess): Promise<void>;
  /** Keeps started workers, for the test to stop them. */
  workers: WorkerProcess[];
  calls: number;
  killAfterApplied: number;
  workMs: number;
  /** Calls in flight while dispatching. */
  concurrency: number;
}

/** What the scenario saw, for the test to assert on. */
export interface KillScenarioResult {
  figures: ReliabilityFigures;
  dispatchFailures: number;
  /** Calls applied more than once. */
  duplicates: readonly string[];
  /**
   * Calls the killed worker applied but the store had not recorded as
   * completed when it died: the only ones that may run again.
   */
  atRisk: ReadonlySet<string>;
}

/** Runs the scenario; see the file comment. */
export async function runKillScenario(
  options: KillScenarioOptions,
): Promise<KillScenarioResult> {
  const started = performance.now();
  const env = {
    ...options.env,
    [LEDGER_PATH_ENV]: options.path,
    FAULT_IDEMPOTENCY_PATH: options.path,
    FAULT_LEASE_MS: '5000',
  };
  const first = await startWorkerProcess({ source: WORKER, env });
  options.workers.push(first);
  await options.connect(first);

  const ledger = openLedger(options.path);
  try {
    const sending = applyOnce.fanOut(labels(options), {
      concurrency: options.concurrency,
    });
    await killWhileRunning(ledger, first, options.killAfterApplied);
    const appliedAtKill = summarize(ledger).applied.size;
    const atRisk = appliedButNotCompleted(ledger, first.process.pid);

    const second = await startWorkerProcess({
      source: WORKER,
      port: first.port,
      env,
    });
    options.workers.push(second);

    const sent = await sending;
    await waitUntil(() => summarize(ledger).applied.size >= options.calls, {
      timeoutMs: 180_000,
      intervalMs: 200,
    });
    const summary = summarize(ledger);
    const duplicates = [...summary.applied]
      .filter(([, count]) => count > 1)
      .map(([callId]) => callId);
    const cutOff = summary.cutOff(first.process.pid);

    return {
      dispatchFailures: sent.failed,
      duplicates,
      atRisk,
      figures: {
        scenario: options.scenario,
        calls: options.calls,
        lost: options.calls - summary.applied.size,
        duplicatesApplied: duplicates.length,
        seconds: secondsSince(started),
        notes:
          `killed after ${appliedAtKill} applied; ${cutOff} bodies cut ` +
          `off mid-run, ${atRisk.size} applied but not yet recorded`,
      },
    };
  } finally {
    ledger.close();
  }
}

function labels(options: KillScenarioOptions) {
  return Array.from(
    { length: options.calls },
    (_, index) => [`call-${index}`, options.workMs] as const,
  );
}

/** Waits for enough applied calls and a body in flight, then kills. */
async function killWhileRunning(
  ledger: DatabaseSync,
  worker: WorkerProcess,
  killAfterApplied: number,
): Promise<void> {
  const pid = worker.process.pid;
  const ready = await waitUntil(
    () => {
      const now = summarize(ledger);
      return now.applied.size >= killAfterApplied && now.cutOff(pid) > 0;
    },
    { timeoutMs: 90_000, intervalMs: 5 },
  );
  if (!ready) throw new Error('kill scenario: the worker never got busy');

  process.kill(pid, 'SIGKILL');
  await worker.process.exited;
}

function appliedButNotCompleted(
  ledger: DatabaseSync,
  pid: number,
): Set<string> {
  const rows = ledger
    .prepare(
      `SELECT call_id FROM ledger
        WHERE phase = 'applied' AND pid = ?
          AND call_id NOT IN (
            SELECT call_id FROM ${STORE_TABLE} WHERE state = 'completed')`,
    )
    .all(pid) as { call_id: string }[];
  return new Set(rows.map((row) => row.call_id));
}
