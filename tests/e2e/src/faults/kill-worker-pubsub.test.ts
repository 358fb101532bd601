// Kill -9 a worker in the middle of 1,000 Pub/Sub push deliveries, then
// start it again on the same port: every call must complete, and with the
// SQLite idempotency store none may apply twice.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closeDispatch,
  configureDispatch,
  parseSigningKeys,
} from '@cloud-functions-dispatch/core';
import {
  findPubSubEmulator,
  PUBSUB_EMULATOR_MISSING,
  type PubSubEmulator,
  startPubSubEmulator,
  uniqueName,
} from '@cloud-functions-dispatch/testing';
import {
  createPubSubClient,
  createPubSubTransport,
  ensurePushSubscription,
  pushEndpointFor,
} from '@cloud-functions-dispatch/transport-pubsub';
import type { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKeysText } from '../fixtures/signing.ts';
import type { WorkerProcess } from '../fixtures/worker-process.ts';
import { reportFigures } from './figures.ts';
import { runKillScenario } from './kill-scenario.ts';

const emulatorFound = findPubSubEmulator() !== undefined;
if (!emulatorFound) process.stderr.write(`${PUBSUB_EMULATOR_MISSING}\n`);

describe.skipIf(!emulatorFound)(
  'a worker killed during 1,000 Pub/Sub pushes',
  () => {
    let emulator: PubSubEmulator | undefined;
    let pubsub: PubSub | undefined;
    let folder: string | undefined;
    const workers: WorkerProcess[] = [];
    const keysText = createSigningKeysText();

    beforeAll(async () => {
      emulator = await startPubSubEmulator();
      folder = await mkdtemp(join(tmpdir(), 'kill-pubsub-'));
      pubsub = createPubSubClient({
        projectId: emulator.projectId,
        emulatorHost: emulator.host,
      });
    }, 120_000);

    afterAll(async () => {
      await closeDispatch();
      for (const worker of workers) await worker.process.stop(0);
      await pubsub?.close();
      await emulator?.stop();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it('runs every call, each applied once with the SQLite store, across kill -9 and a restart on the same port', async (context) => {
      if (!emulator || !pubsub || !folder) throw new Error('setup failed');
      const { projectId, host } = emulator;
      const client = pubsub;
      const topic = uniqueName('kill');

      const result = await runKillScenario({
        scenario: 'Pub/Sub push, worker killed (-9) mid-run, SQLite store',
        path: join(folder, 'ledger.db'),
        env: { ...emulator.env, DISPATCH_SIGNING_KEYS: keysText },
        workers,
        calls: 1_000,
        killAfterApplied: 300,
        workMs: 20,
        concurrency: 64,
        async connect(worker) {
          await ensurePushSubscription(client, {
            topic,
            subscription: uniqueName('kill-push'),
            endpoint: pushEndpointFor(worker.url, projectId, topic),
            ackDeadlineSeconds: 20,
          });
          configureDispatch({
            transport: createPubSubTransport({
              topic,
              projectId,
              emulatorHost: host,
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
  },
);
