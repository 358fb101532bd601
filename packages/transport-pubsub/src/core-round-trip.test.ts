import { randomBytes } from 'node:crypto';
import {
  createDispatcher,
  FUNCTION_ATTRIBUTE,
} from '@cloud-functions-dispatch/core';
import { receiveMessages, uniqueName } from '@cloud-functions-dispatch/testing';
import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopic } from './provision.ts';
import { createPubSubTransport } from './pubsub-transport.ts';

const emulator = inject('pubsubEmulator');

describe.skipIf(emulator === null)("core's dispatcher over Pub/Sub", () => {
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

  it('delivers a call whose frame the dispatcher can execute', async () => {
    const topic = await ensureTopic(pubsub, uniqueName('calls'));
    const [subscription] = await topic.createSubscription(uniqueName('sub'));
    const dispatcher = createDispatcher({
      transport: createPubSubTransport({ topic: topic.name, pubsub }),
      signing: { keys: [{ id: 'test-key', secret: randomBytes(32) }] },
    });
    const runs: unknown[][] = [];
    const updateRelated = dispatcher.dispatch(
      'updateRelated',
      async (user: { id: number; seen: Date }, tags: Set<string>) => {
        runs.push([user, tags]);
      },
    );

    const receipt = await updateRelated(
      { id: 7, seen: new Date(0) },
      new Set(['a', 'b']),
    );
    const [message] = await receiveMessages(subscription, 1);
    await dispatcher.execute(message?.data ?? new Uint8Array(), {
      attempt: 1,
      messageId: receipt.id,
      source: 'pubsub-pull',
    });
    await dispatcher.close();

    expect(message?.id).toBe(receipt.id);
    expect(message?.attributes[FUNCTION_ATTRIBUTE]).toBe('updateRelated');
    expect(runs).toEqual([[{ id: 7, seen: new Date(0) }, new Set(['a', 'b'])]]);
  });
});
