// Freeze the Pub/Sub emulator (SIGSTOP to its process group) for 20 s
// while a caller keeps dispatching with a 5 s publish timeout, then thaw
// it: no call may hang, each either resolves and later runs or rejects
// with TRANSPORT_FAILED, and calls sent after the thaw succeed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  closeDispatch,
  configureDispatch,
  isDispatchError,
  parseSigningKeys,
} from '@cloud-functions-dispatch/core';
import {
  findPubSubEmulator,
  PUBSUB_EMULATOR_MISSING,
  type PubSubEmulator,
  startPubSubEmulator,
  uniqueName,
  waitUntil,
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
import {
  startWorkerProcess,
  type WorkerProcess,
} from '../fixtures/worker-process.ts';
import { reportFigures, secondsSince } from './figures.ts';
import { LEDGER_PATH_ENV, openLedger } from './ledger.ts';
import { applyOnce } from './ledger-functions.ts';

const WORKER = fileURLToPath(new URL('./ledger-worker.ts', import.meta.url));
const PUBLISH_TIMEOUT_MS = 5_000;
const FREEZE_MS = 20_000;
const SEND_EVERY_MS = 100;
const BEFORE_FREEZE_MS = 3_000;
const AFTER_THAW_MS = 6_000;
// Calls sent this long after the thaw must all succeed.
const SETTLE_AFTER_THAW_MS = 2_000;

/** How one call ended. */
interface Sent {
  readonly label: string;
  readonly sentAt: number;
  outcome?: 'resolved' | 'transport-failed' | 'other-error';
  callId?: string | undefined;
}

const emulatorFound = findPubSubEmulator() !== undefined;
if (!emulatorFound) process.stderr.write(`${PUBSUB_EMULATOR_MISSING}\n`);

describe.skipIf(!emulatorFound)('a Pub/Sub emulator frozen for 20 s', () => {
  let emulator: PubSubEmulator | undefined;
  let pubsub: PubSub | undefined;
  let worker: WorkerProcess | undefined;
  let folder: string | undefined;
  const keysText = createSigningKeysText();

  const thaw = () => {
    if (emulator) process.kill(-emulator.pid, 'SIGCONT');
  };

  beforeAll(async () => {
    emulator = await startPubSubEmulator();
    folder = await mkdtemp(join(tmpdir(), 'freeze-'));
    worker = await startWorkerProcess({
      source: WORKER,
      env: {
        ...emulator.env,
        DISPATCH_SIGNING_KEYS: keysText,
        [LEDGER_PATH_ENV]: join(folder, 'ledger.db'),
      },
    });

    const { projectId, host } = emulator;
    const topic = uniqueName('freeze');
    pubsub = createPubSubClient({ projectId, emulatorHost: host });
    await ensurePushSubscription(pubsub, {
      topic,
      subscription: uniqueName('freeze-push'),
      endpoint: pushEndpointFor(worker.url, projectId, topic),
    });
    configureDispatch({
      transport: createPubSubTransport({
        topic,
        projectId,
        emulatorHost: host,
        publishTimeoutMs: PUBLISH_TIMEOUT_MS,
      }),
      signing: { keys: parseSigningKeys(keysText) },
    });
  }, 120_000);

  afterAll(async () => {
    thaw();
    await closeDispatch();
    await worker?.process.stop(0);
    await pubsub?.close();
    await emulator?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('settles every call: resolved ones run, the rest reject TRANSPORT_FAILED, and calls after the thaw succeed', async (context) => {
    if (!emulator || !folder) throw new Error('setup failed');
    const started = performance.now();
    const pgid = emulator.pid;
    const sent: Sent[] = [];
    const settling: Promise<void>[] = [];

    let thawedAt = Number.POSITIVE_INFINITY;
    const freezing = (async () => {
      await sleep(BEFORE_FREEZE_MS);
      process.kill(-pgid, 'SIGSTOP');
      try {
        await sleep(FREEZE_MS);
      } finally {
        thaw();
        thawedAt = performance.now();
      }
    })();

    const endAt = started + BEFORE_FREEZE_MS + FREEZE_MS + AFTER_THAW_MS;
    for (let index = 0; performance.now() < endAt; index += 1) {
      const call: Sent = {
        label: `freeze-${index}`,
        sentAt: performance.now(),
      };
      sent.push(call);
      settling.push(track(call));
      await sleep(SEND_EVERY_MS);
    }
    await freezing;

    const hung = await unsettledAfter(settling, PUBLISH_TIMEOUT_MS + 10_000);
    const resolved = sent.filter((call) => call.outcome === 'resolved');
    const ran = await ranCalls(join(folder, 'ledger.db'), resolved);
    const lost = resolved.filter((call) => !ran.has(call.label));
    const failed = sent.filter((call) => call.outcome === 'transport-failed');
    const failedButRan = failed.filter((call) => ran.has(call.label));
    const afterThaw = sent.filter(
      (call) => call.sentAt > thawedAt + SETTLE_AFTER_THAW_MS,
    );

    reportFigures(context, {
      scenario: 'Pub/Sub emulator frozen 20 s (SIGSTOP), 5 s publish timeout',
      calls: sent.length,
      lost: lost.length,
      duplicatesApplied: 0,
      seconds: secondsSince(started),
      notes:
        `${resolved.length} resolved and ran, ${failed.length} rejected ` +
        `TRANSPORT_FAILED (${failedButRan.length} of them ran anyway), ` +
        `${hung} hung`,
    });
    expect(hung).toBe(0);
    expect(sent.filter((call) => call.outcome === 'other-error')).toEqual([]);
    expect(failed.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(afterThaw.length).toBeGreaterThan(0);
    expect(afterThaw.filter((call) => call.outcome !== 'resolved')).toEqual([]);
  }, 120_000);
});

async function track(call: Sent): Promise<void> {
  try {
    const receipt = await applyOnce(call.label, 0);
    call.outcome = 'resolved';
    call.callId = receipt.callId;
  } catch (error) {
    const timedOut = isDispatchError(error, 'TRANSPORT_FAILED');
    call.outcome = timedOut ? 'transport-failed' : 'other-error';
  }
}

/** How many of `settling` are still pending `boundMs` from now. */
async function unsettledAfter(
  settling: Promise<void>[],
  boundMs: number,
): Promise<number> {
  let pending = settling.length;
  const counted = settling.map((promise) =>
    promise.finally(() => {
      pending -= 1;
    }),
  );
  await Promise.race([Promise.all(counted), sleep(boundMs)]);
  return pending;
}

/** Labels of the ledger's applied calls, once `resolved` all ran or 60 s. */
async function ranCalls(path: string, resolved: Sent[]): Promise<Set<string>> {
  const ledger = openLedger(path);
  try {
    const labels = () =>
      new Set(
        (
          ledger
            .prepare("SELECT label FROM ledger WHERE phase = 'applied'")
            .all() as { label: string }[]
        ).map((row) => row.label),
      );
    await waitUntil(
      () => {
        const ran = labels();
        return resolved.every((call) => ran.has(call.label));
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    // Calls that were rejected may still arrive late; give them a moment.
    await sleep(3_000);
    return labels();
  } finally {
    ledger.close();
  }
}
