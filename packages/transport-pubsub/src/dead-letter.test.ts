import { randomBytes } from 'node:crypto';
import {
  CALL_ID_ATTRIBUTE,
  createDispatcher,
  createInProcessTransport,
  FUNCTION_ATTRIBUTE,
  type LogFields,
  type Logger,
  PermanentError,
} from '@cloud-functions-dispatch/core';
import { receiveMessages, uniqueName } from '@cloud-functions-dispatch/testing';
import type { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DEAD_LETTER_ATTEMPT_ATTRIBUTE,
  DEAD_LETTER_ERROR_ATTRIBUTE,
  DEAD_LETTER_REASON_ATTRIBUTE,
} from './dead-letter-attributes.ts';
import { createPubSubDeadLetterHandler } from './dead-letter-handler.ts';
import { ensureTopic } from './provision.ts';
import { createPubSubClient } from './pubsub-client.ts';

const emulator = inject('pubsubEmulator');
const signing = { keys: [{ id: 'k1', secret: randomBytes(32) }] };

interface Order {
  id: bigint;
  lines: Map<string, number>;
  placedAt: Date;
}

const ORDER: Order = {
  id: 2n ** 70n,
  lines: new Map([['sku-1', 2]]),
  placedAt: new Date('2024-02-29T12:00:00Z'),
};

describe.skipIf(emulator === null)('dead letters on Pub/Sub', () => {
  let pubsub: PubSub;

  beforeAll(() => {
    if (emulator === null) return;
    pubsub = createPubSubClient({
      projectId: emulator.projectId,
      emulatorHost: emulator.host,
    });
  });

  afterAll(async () => {
    await pubsub?.close();
  });

  it('lands a permanent failure on the topic and redispatches it with the same arguments', async () => {
    const topic = await ensureTopic(pubsub, uniqueName('dead'));
    const [subscription] = await topic.createSubscription(uniqueName('sub'));
    const deadLetter = createPubSubDeadLetterHandler({
      topic: topic.name,
      pubsub,
    });
    const failing = createInProcessTransport({ retryDelay: 0 });
    const worker = createDispatcher({
      transport: failing,
      signing,
      deadLetter,
    });
    const ship = worker.dispatch('ship', (_order: Order, _rush: boolean) => {
      throw new PermanentError('carrier rejected the address');
    });

    const receipt = await ship(ORDER, true);
    await failing.drain();
    const [letter] = await receiveMessages(subscription, 1);

    const replaying = createInProcessTransport({ retryDelay: 0 });
    const fixed = createDispatcher({ transport: replaying, signing });
    const shipped: unknown[][] = [];
    fixed.dispatch('ship', (order: Order, rush: boolean) => {
      shipped.push([order, rush]);
    });
    const replayed = await fixed.redispatch(letter?.data ?? new Uint8Array());
    const report = await replaying.drain();
    await Promise.all([worker.close(), fixed.close(), deadLetter.close()]);

    expect(letter?.attributes).toEqual({
      [FUNCTION_ATTRIBUTE]: 'ship',
      [CALL_ID_ATTRIBUTE]: receipt.callId,
      [DEAD_LETTER_REASON_ATTRIBUTE]: 'permanent',
      [DEAD_LETTER_ATTEMPT_ATTRIBUTE]: '1',
      [DEAD_LETTER_ERROR_ATTRIBUTE]:
        'PermanentError: carrier rejected the address',
    });
    expect(replayed.callId).toBe(receipt.callId);
    expect(report).toEqual({ completed: 1, retried: 0, dropped: [] });
    expect(shipped).toEqual([[ORDER, true]]);
  });

  it("logs a failed publish through the dispatcher's logger and still answers", async () => {
    const errors: LogFields[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn() {},
      error: (_message, fields = {}) => {
        errors.push(fields);
      },
    };
    const deadLetter = createPubSubDeadLetterHandler({
      topic: uniqueName('missing'),
      pubsub,
    });
    const worker = createDispatcher({ signing, logger, deadLetter });

    const outcome = await worker.execute(randomBytes(32), { attempt: 1 });
    await deadLetter.close();

    expect(outcome).toMatchObject({ kind: 'drop', reason: 'malformed' });
    const failure = errors.find((fields) => fields.topic !== undefined);
    expect(failure).toMatchObject({
      reason: 'malformed',
      error: { code: 'TRANSPORT_FAILED' },
    });
  });
});
