// Kill -9 a worker in the middle of 1,000 Cloud Tasks deliveries, then
// start it again on the same port: every call must complete, and with the
// SQLite idempotency store none may apply twice.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CloudTasksEmulator,
  startCloudTasksEmulator,
} from '@cloud-functions-dispatch/cloudtasks-emulator';
import {
  closeDispatch,
  configureDispatch,
  parseSigningKeys,
} from '@cloud-functions-dispatch/core';
import { createCloudTasksTransport } from '@cloud-functions-dispatch/transport-cloudtasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKeysText } from '../fixtures/signing.ts';
import type { WorkerProcess } from '../fixtures/worker-process.ts';
import { reportFigures } from './figures.ts';
import { runKillScenario } from './kill-scenario.ts';

const QUEUE = 'projects/faults/locations/here/queues/kill';

process.env.METADATA_SERVER_DETECTION ??= 'none';

describe('a worker killed during 1,000 Cloud Tasks deliveries', () => {
  let emulator: CloudTasksEmulator | undefined;
  let folder: string | undefined;
  const workers: WorkerProcess[] = [];
  const keysText = createSigningKeysText();

  beforeAll(async () => {
    emulator = await startCloudTasksEmulator({ queues: [QUEUE] });
    folder = await mkdtemp(join(tmpdir(), 'kill-tasks-'));
  });

  afterAll(async () => {
    await closeDispatch();
    for (const worker of workers) await worker.process.stop(0);
    await emulator?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('runs every call, each applied once with the SQLite store, across kill -9 and a restart on the same port', async (context) => {
    if (!emulator || !folder) throw new Error('setup failed');
    const emulatorHost = emulator.address;

    const result = await runKillScenario({
      scenario: 'Cloud Tasks, worker killed (-9) mid-run, SQLite store',
      path: join(folder, 'ledger.db'),
      env: { DISPATCH_SIGNING_KEYS: keysText },
      workers,
      calls: 1_000,
      killAfterApplied: 300,
      workMs: 20,
      concurrency: 64,
      async connect(worker) {
        configureDispatch({
          transport: createCloudTasksTransport({
            queue: QUEUE,
            url: `${worker.url}/`,
            emulatorHost,
          }),
          signing: { keys: parseSigningKeys(keysText) },
        });
      },
    });

    reportFigures(context, result.figures);
    expect(result.dispatchFailures).toBe(0);
    expect(result.figures.lost).toBe(0);
    // Only a body that applied its effect in the moment between finishing
    // and the store recording it may run again.
    expect(result.duplicates.filter((id) => !result.atRisk.has(id))).toEqual(
      [],
    );
  }, 300_000);
});
