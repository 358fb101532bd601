import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startWorker,
  uniqueName,
  type Worker,
  waitUntil,
} from '@cloud-functions-dispatch/testing';
import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ensurePushSubscription,
  ensureTopic,
  pushEndpointFor,
} from './provision.ts';
import { createPubSubTransport } from './pubsub-transport.ts';
import { outgoingMessage } from './test-support/messages.ts';

const RECORD_EVENT = fileURLToPath(
  new URL('./fixtures/record-event.ts', import.meta.url),
);

const emulator = inject('pubsubEmulator');

describe('pushEndpointFor', () => {
  it('appends the topic path functions-framework reads', () => {
    expect(pushEndpointFor('http://127.0.0.1:8080/', 'proj', 'calls')).toBe(
      'http://127.0.0.1:8080/projects/proj/topics/calls',
    );
  });
});

describe.skipIf(emulator === null)('provisioning', () => {
  let pubsub: PubSub;

  beforeAll(() => {
    if (emulator === null) return;
    pubsub = new PubSub({
      projectId: emulator.projectId,
      apiEndpoint: emulator.host,
    });
  });

  afterAll(async () => {
    await pubsub?.close();
  });

  it('ensureTopic creates a topic once and accepts it existing', async () => {
    const name = uniqueName('topic');

    await ensureTopic(pubsub, name);
    const again = await ensureTopic(pubsub, name);

    const [exists] = await again.exists();
    expect(exists).toBe(true);
  });

  it('ensurePushSubscription is idempotent and moves the endpoint', async () => {
    const options = {
      topic: uniqueName('topic'),
      subscription: uniqueName('push'),
      endpoint: 'http://127.0.0.1:9/projects/p/topics/first',
      deadLetterTopic: uniqueName('dead'),
      maxDeliveryAttempts: 7,
    };

    await ensurePushSubscription(pubsub, options);
    const subscription = await ensurePushSubscription(pubsub, {
      ...options,
      endpoint: 'http://127.0.0.1:9/projects/p/topics/second',
    });

    const [metadata] = await subscription.getMetadata();
    const [deadLetterExists] = await pubsub
      .topic(options.deadLetterTopic)
      .exists();
    expect(metadata.pushConfig?.pushEndpoint).toBe(
      'http://127.0.0.1:9/projects/p/topics/second',
    );
    expect(metadata.deadLetterPolicy).toMatchObject({
      deadLetterTopic: `projects/${emulator?.projectId}/topics/${options.deadLetterTopic}`,
      maxDeliveryAttempts: 7,
    });
    expect(deadLetterExists).toBe(true);
    expect(subscription.name).toBe(
      `projects/${emulator?.projectId}/subscriptions/${options.subscription}`,
    );
  });

  describe('with a functions-framework worker', () => {
    let folder: string;
    let worker: Worker;

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'push-'));
      worker = await startWorker({
        source: RECORD_EVENT,
        target: 'recordEvent',
        signatureType: 'cloudevent',
        env: { RECORD_FILE: join(folder, 'events.jsonl') },
      });
    }, 30_000);

    afterAll(async () => {
      await worker?.stop();
      await rm(folder, { recursive: true, force: true });
    });

    it('pushes a published call to the worker as a CloudEvent naming the topic', async () => {
      if (emulator === null) return;
      const topic = uniqueName('calls');
      const endpoint = pushEndpointFor(worker.url, emulator.projectId, topic);
      await ensurePushSubscription(pubsub, {
        topic,
        subscription: uniqueName('push'),
        endpoint,
      });
      const transport = createPubSubTransport({ topic, pubsub });
      const message = outgoingMessage({ frame: Buffer.from('frame bytes') });

      await transport.send(message);
      await transport.close();
      const recordFile = join(folder, 'events.jsonl');
      await waitUntil(() => existsSync(recordFile), { timeoutMs: 15_000 });

      const [event] = (await readFile(recordFile, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(event).toMatchObject({
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
        source: `//pubsub.googleapis.com/projects/${emulator.projectId}/topics/${topic}`,
        data: {
          message: {
            data: Buffer.from('frame bytes').toString('base64'),
            attributes: { 'dispatch.call_id': message.callId },
          },
        },
      });
    }, 30_000);
  });
});
