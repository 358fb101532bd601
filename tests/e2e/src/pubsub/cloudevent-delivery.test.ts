// A Pub/Sub trigger, end to end: the emulator pushes to a worker started
// with --signature-type=cloudevent on a `/projects/P/topics/T` path, and
// functions-framework turns the push into a messagePublished CloudEvent,
// as a gen 2 function with --trigger-topic receives it.
import { fileURLToPath } from 'node:url';
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
import {
  failPermanently,
  failTwiceThenSucceed,
  recordArgs,
} from '../fixtures/functions.ts';
import type { Report } from '../fixtures/report.ts';
import { roundTripValues } from '../fixtures/round-trip-values.ts';
import { findDifference } from '../fixtures/same-value.ts';
import { createSigningKeysText } from '../fixtures/signing.ts';

const WORKER_MODULE = fileURLToPath(
  new URL('../fixtures/worker.ts', import.meta.url),
);

const emulatorFound = findPubSubEmulator() !== undefined;
if (!emulatorFound) process.stderr.write(`${PUBSUB_EMULATOR_MISSING}\n`);

const labelled = (functionName: string, label: string) => (report: Report) =>
  report.functionName === functionName && report.values[0] === label;

describe.skipIf(!emulatorFound)(
  'Pub/Sub trigger to a CloudEvent worker',
  () => {
    let emulator: PubSubEmulator | undefined;
    let collector: Collector | undefined;
    let worker: Worker | undefined;
    let pubsub: PubSub | undefined;
    const topic = uniqueName('events');
    const keysText = createSigningKeysText();

    const started = () => {
      if (!collector || !worker) {
        throw new Error('cloudevent-delivery: setup did not finish');
      }
      return { collector, worker };
    };

    beforeAll(async () => {
      emulator = await startPubSubEmulator();
      collector = await startCollector();
      worker = await startWorker({
        source: WORKER_MODULE,
        target: 'dispatchEvent',
        signatureType: 'cloudevent',
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
        subscription: uniqueName('trigger'),
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

    it('runs a call delivered as a CloudEvent with its values intact', async () => {
      const { collector } = started();
      const label = uniqueName('event');

      const receipt = await recordArgs(label, roundTripValues(7));
      const [report] = await collector.waitFor(label, {
        predicate: labelled('recordArgs', label),
      });

      expect(report).toMatchObject({ callId: receipt.callId, attempt: 1 });
      expect(findDifference(report?.values[1], roundTripValues(7))).toBe(
        undefined,
      );
    });

    it('is delivered again after the body throws, until it finishes', async () => {
      const { collector } = started();
      const label = uniqueName('retry');

      await Promise.all([failTwiceThenSucceed(label), failPermanently(label)]);
      const runs = await collector.waitFor('three runs', {
        predicate: labelled('failTwiceThenSucceed', label),
        count: 3,
      });

      expect(runs.map((run) => run.values[1])).toEqual([1, 2, 3]);
      const permanent = collector.reports.filter(
        labelled('failPermanently', label),
      );
      expect(permanent).toHaveLength(1);
    }, 60_000);
  },
);
