import { randomBytes } from 'node:crypto';
import {
  CALL_ID_ATTRIBUTE,
  FUNCTION_ATTRIBUTE,
  isDispatchError,
} from '@cloud-functions-dispatch/core';
import { receiveMessages, uniqueName } from '@cloud-functions-dispatch/testing';
import { PubSub, type Topic } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTransportFromEnv } from './from-env.ts';
import { ensureTopic } from './provision.ts';
import { createPubSubTransport } from './pubsub-transport.ts';
import { outgoingMessage } from './test-support/messages.ts';

const emulator = inject('pubsubEmulator');

describe.skipIf(emulator === null)('the Pub/Sub transport', () => {
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

  async function topicWithSubscription(ordered = false) {
    const topic = await ensureTopic(pubsub, uniqueName('calls'));
    const [subscription] = await topic.createSubscription(uniqueName('sub'), {
      enableMessageOrdering: ordered,
    });
    return { topic, subscription };
  }

  function transportFor(topic: Topic) {
    return createPubSubTransport({ topic: topic.name, pubsub });
  }

  it('publishes the frame bytes unchanged with the call attributes', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const transport = transportFor(topic);
    const frame = new Uint8Array(randomBytes(4096));
    frame.set([0, 255, 0, 128], 0);
    const message = outgoingMessage({ frame, metadata: { tenant: 'acme' } });

    const receipt = await transport.send(message);
    const [received] = await receiveMessages(subscription, 1);
    await transport.close();

    expect(receipt).toEqual({
      id: received?.id,
      callId: message.callId,
      deduplicated: false,
    });
    expect(Buffer.compare(received?.data ?? Buffer.alloc(0), frame)).toBe(0);
    expect(received?.attributes).toEqual({
      tenant: 'acme',
      [FUNCTION_ATTRIBUTE]: 'sendMail',
      [CALL_ID_ATTRIBUTE]: message.callId,
    });
  });

  it('publishes calls that share an ordering key in order', async () => {
    const { topic, subscription } = await topicWithSubscription(true);
    const transport = transportFor(topic);
    const messages = Array.from({ length: 20 }, () =>
      outgoingMessage({ options: { orderingKey: 'user-42' } }),
    );

    await Promise.all(messages.map((message) => transport.send(message)));
    const received = await receiveMessages(subscription, messages.length);
    await transport.close();

    expect(received.map((m) => m.attributes[CALL_ID_ATTRIBUTE])).toEqual(
      messages.map((m) => m.callId),
    );
    expect(received.every((m) => m.orderingKey === 'user-42')).toBe(true);
  });

  it('publishes a message at every per-message limit of the service', async () => {
    const { topic, subscription } = await topicWithSubscription(true);
    const transport = transportFor(topic);
    // 98 entries, one with the longest key and value, plus our two.
    const metadata: Record<string, string> = {
      ['k'.repeat(256)]: 'v'.repeat(1024),
    };
    for (let index = 1; index < 98; index += 1) metadata[`m${index}`] = 'v';
    const orderingKey = 'o'.repeat(1024);
    const message = outgoingMessage({ metadata, options: { orderingKey } });

    await transport.send(message);
    const [received] = await receiveMessages(subscription, 1);
    await transport.close();

    expect(Object.keys(received?.attributes ?? {})).toHaveLength(100);
    expect(received?.orderingKey).toBe(orderingKey);
  });

  it('reports a failed keyed publish to its caller; the key keeps working', async () => {
    const name = uniqueName('late');
    const transport = createPubSubTransport({ topic: name, pubsub });
    const key = { options: { orderingKey: 'user-7' } };

    const failure = await transport
      .send(outgoingMessage(key))
      .catch((error: unknown) => error);
    await ensureTopic(pubsub, name);
    const receipt = await transport.send(outgoingMessage(key));
    await transport.close();

    expect(isDispatchError(failure, 'TRANSPORT_FAILED')).toBe(true);
    expect(String(failure)).toContain(`to topic ${name} via the Pub/Sub`);
    expect((failure as Error).cause).toMatchObject({ code: 5 });
    expect(receipt.id).not.toBe('');
  });

  it('flush() resolves once every call sent so far is accepted', async () => {
    const { topic } = await topicWithSubscription();
    const transport = createPubSubTransport({
      topic: topic.name,
      pubsub,
      batching: { maxMessages: 1000, maxMilliseconds: 60_000 },
    });
    const settled: string[] = [];

    const sending = [1, 2, 3].map((n) =>
      transport.send(outgoingMessage()).then(() => settled.push(`${n}`)),
    );
    await transport.flush();

    expect(settled).toHaveLength(3);
    await Promise.all(sending);
    await transport.close();
  });

  it('close() leaves a client it was given open', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await transportFor(topic).close();

    await topic.publishMessage({ data: Buffer.from('still open') });
    const [received] = await receiveMessages(subscription, 1);

    expect(received?.data.toString()).toBe('still open');
  });

  it('createTransportFromEnv publishes to the emulator it names', async () => {
    if (emulator === null) return;
    const { topic, subscription } = await topicWithSubscription();
    const transport = createTransportFromEnv({
      DISPATCH_PUBSUB_TOPIC: topic.name.split('/').pop(),
      GOOGLE_CLOUD_PROJECT: emulator.projectId,
      PUBSUB_EMULATOR_HOST: emulator.host,
    });
    const message = outgoingMessage();

    const receipt = await transport.send(message);
    const [received] = await receiveMessages(subscription, 1);
    await transport.close();

    expect(received?.id).toBe(receipt.id);
  });
});
