// Pub/Sub push to an HTTP worker, end to end: this process dispatches
// through the real emulator, which pushes to a real functions-framework
// worker running the same functions module.
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  CALL_ID_ATTRIBUTE,
  closeDispatch,
  configureDispatch,
  createDispatcher,
  parseSigningKeys,
} from '@cloud-functions-dispatch/core';
import {
  findPubSubEmulator,
  PUBSUB_EMULATOR_MISSING,
  type PubSubEmulator,
  receiveMessages,
  startProcessGroup,
  startPubSubEmulator,
  startWorker,
  uniqueName,
  type Worker,
} from '@cloud-functions-dispatch/testing';
import {
  createPubSubClient,
  createPubSubTransport,
  ensurePushSubscription,
  pushEndpointFor,
} from '@cloud-functions-dispatch/transport-pubsub';
import type { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collector, startCollector } from '../fixtures/collector.ts';
import { createFrameCapture } from '../fixtures/frame-capture.ts';
import {
  failPermanently,
  failTwiceThenSucceed,
  recordArgs,
  recordDigest,
} from '../fixtures/functions.ts';
import type { Report } from '../fixtures/report.ts';
import { roundTripValues } from '../fixtures/round-trip-values.ts';
import { findDifference } from '../fixtures/same-value.ts';
import { createSigningKeysText } from '../fixtures/signing.ts';
import { waitForExit } from '../fixtures/wait-for-exit.ts';
import { waitForLogEntry } from '../fixtures/wait-for-log-entry.ts';

const WORKER_MODULE = fileURLToPath(
  new URL('../fixtures/worker.ts', import.meta.url),
);
const DISPATCH_ONCE = fileURLToPath(
  new URL('../fixtures/dispatch-once.ts', import.meta.url),
);

/** A push body as Pub/Sub sends it without attributes; `data` filled in. */
const PUSH_BODY_WITHOUT_ATTRIBUTES = {
  message: {
    data: '',
    message_id: 'by-hand-1',
    publish_time: '2024-06-01T12:00:00.000Z',
  },
  subscription: 'projects/e2e/subscriptions/by-hand',
};

const emulatorFound = findPubSubEmulator() !== undefined;
if (!emulatorFound) process.stderr.write(`${PUBSUB_EMULATOR_MISSING}\n`);

const labelled = (functionName: string, label: string) => (report: Report) =>
  report.functionName === functionName && report.values[0] === label;

describe.skipIf(!emulatorFound)('Pub/Sub push to an HTTP worker', () => {
  let emulator: PubSubEmulator | undefined;
  let collector: Collector | undefined;
  let worker: Worker | undefined;
  let pubsub: PubSub | undefined;
  const topic = uniqueName('calls');
  const keysText = createSigningKeysText();

  const started = () => {
    if (!emulator || !collector || !worker || !pubsub) {
      throw new Error('push-delivery: setup did not finish');
    }
    return { emulator, collector, worker, pubsub };
  };

  beforeAll(async () => {
    emulator = await startPubSubEmulator();
    collector = await startCollector();
    worker = await startWorker({
      source: WORKER_MODULE,
      target: 'dispatch',
      signatureType: 'http',
      env: {
        ...emulator.env,
        ...collector.env,
        DISPATCH_SIGNING_KEYS: keysText,
      },
    });

    const { projectId, host } = emulator;
    pubsub = createPubSubClient({ projectId, emulatorHost: host });
    await ensurePushSubscription(pubsub, {
      topic,
      subscription: uniqueName('push'),
      endpoint: pushEndpointFor(worker.url, projectId, topic),
    });
    configureDispatch({
      transport: createPubSubTransport({
        topic,
        projectId,
        emulatorHost: host,
      }),
      signing: { keys: parseSigningKeys(keysText) },
    });
  }, 120_000);

  afterAll(async () => {
    await closeDispatch();
    await pubsub?.close();
    await worker?.stop();
    await collector?.stop();
    await emulator?.stop();
  });

  it('runs 200 calls with the round-trip values exactly as sent, none lost', async () => {
    const { collector } = started();
    const seeds = Array.from({ length: 200 }, (_, seed) => seed);

    const receipts = await Promise.all(
      seeds.map((seed) => recordArgs(`values-${seed}`, roundTripValues(seed))),
    );
    const reports = await collector.waitFor('200 round trips', {
      predicate: (report) => String(report.values[0]).startsWith('values-'),
      distinct: (report) => report.values[0],
      count: seeds.length,
      timeoutMs: 90_000,
    });

    const differences = seeds.flatMap((seed) => {
      const report = reports.find((r) => r.values[0] === `values-${seed}`);
      const difference = findDifference(
        report?.values[1],
        roundTripValues(seed),
      );
      return difference ? [`seed ${seed}: ${difference}`] : [];
    });
    expect(differences).toEqual([]);

    const callIds = new Set(reports.map((report) => report.callId));
    expect(callIds).toEqual(new Set(receipts.map((receipt) => receipt.callId)));
  }, 120_000);

  it('retries a failing body until it finishes, but never a PermanentError', async () => {
    const { collector } = started();
    const label = uniqueName('retry');

    await Promise.all([failTwiceThenSucceed(label), failPermanently(label)]);
    const runs = await collector.waitFor('three runs of failTwiceThenSucceed', {
      predicate: labelled('failTwiceThenSucceed', label),
      count: 3,
    });

    expect(runs.map((run) => run.values[1])).toEqual([1, 2, 3]);
    // Pub/Sub has redelivered twice meanwhile: a retried PermanentError
    // would have run again by now.
    const permanent = collector.reports.filter(
      labelled('failPermanently', label),
    );
    expect(permanent).toHaveLength(1);
  }, 60_000);

  it('drops a frame signed with a wrong key with an error log line, never running it', async () => {
    const { emulator, collector, worker } = started();
    const label = uniqueName('forged');
    const forger = createDispatcher({
      transport: createPubSubTransport({
        topic,
        projectId: emulator.projectId,
        emulatorHost: emulator.host,
      }),
      signing: { keys: parseSigningKeys(createSigningKeysText()) },
    });
    const forged = forger.dispatch(
      'recordArgs',
      async (_: string, __: null) => {},
    );

    const receipt = await forged(label, null);
    await forger.close();
    const entry = await waitForLogEntry(
      worker,
      (logged) => logged.messageId === receipt.id,
    );

    expect(entry).toMatchObject({
      severity: 'ERROR',
      reason: 'bad-signature',
      security: true,
    });
    expect(collector.reports.filter(labelled('recordArgs', label))).toEqual([]);
  }, 60_000);

  it('runs a call pushed as a raw Pub/Sub push body', async () => {
    const { collector } = started();
    const label = uniqueName('push');

    const receipt = await recordArgs(label, null);
    const [report] = await collector.waitFor(label, {
      predicate: labelled('recordArgs', label),
    });

    expect(report).toMatchObject({ callId: receipt.callId, attempt: 1 });
  });

  it('runs a push body without attributes posted by hand', async () => {
    const { collector, worker } = started();
    const label = uniqueName('by-hand');
    const capture = createFrameCapture();
    const caller = createDispatcher({
      transport: capture,
      signing: { keys: parseSigningKeys(keysText) },
    });
    await caller.dispatch('recordArgs', async (_: string, __: null) => {})(
      label,
      null,
    );
    const { frame, callId } = capture.last();
    const data = Buffer.from(frame).toString('base64');
    const body = {
      ...PUSH_BODY_WITHOUT_ATTRIBUTES,
      message: { ...PUSH_BODY_WITHOUT_ATTRIBUTES.message, data },
    };

    const response = await fetch(worker.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      outcome: 'done',
      reason: 'completed',
      callId,
      functionName: 'recordArgs',
    });
    const [report] = await collector.waitFor(label, {
      predicate: labelled('recordArgs', label),
    });
    expect(report?.callId).toBe(callId);
  });

  it('carries a 9.5 MB argument', async () => {
    const { collector } = started();
    const label = uniqueName('large');
    const bytes = randomBytes(9_500_000);

    await recordDigest(label, bytes);
    const [report] = await collector.waitFor(label, {
      predicate: labelled('recordDigest', label),
      timeoutMs: 60_000,
    });

    const digest = createHash('sha256').update(bytes).digest('hex');
    expect(report?.values).toEqual([label, 9_500_000, digest]);
  }, 90_000);

  it('refuses a 10.5 MB argument in the caller and publishes nothing', async () => {
    const { pubsub } = started();
    const [watcher] = await pubsub
      .topic(topic)
      .createSubscription(uniqueName('watch'));

    try {
      await expect(
        recordDigest(uniqueName('too-large'), randomBytes(10_500_000)),
      ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

      // The watcher sees the next call first: nothing was published before.
      const marker = await recordArgs(uniqueName('marker'), null);
      const [first] = await receiveMessages(watcher, 1, 30_000);
      expect(first?.attributes[CALL_ID_ATTRIBUTE]).toBe(marker.callId);
    } finally {
      await watcher.delete();
    }
  }, 60_000);

  it('lets a caller process that dispatched once and closed exit by itself', async () => {
    const { emulator, collector } = started();
    const label = uniqueName('child');
    const child = startProcessGroup({
      command: process.execPath,
      args: [DISPATCH_ONCE, label],
      env: {
        ...process.env,
        ...emulator.env,
        DISPATCH_TRANSPORT: 'pubsub',
        DISPATCH_PUBSUB_TOPIC: topic,
        DISPATCH_SIGNING_KEYS: keysText,
      },
    });

    const exit = await waitForExit(child, 15_000);

    expect(exit, child.output()).toEqual({ code: 0, signal: null });
    const receipt = JSON.parse(child.output().trim().split('\n').at(-1) ?? '');
    const [report] = await collector.waitFor(label, {
      predicate: labelled('recordArgs', label),
    });
    expect(report?.callId).toBe(receipt.callId);
  }, 60_000);
});
