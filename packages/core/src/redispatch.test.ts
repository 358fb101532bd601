import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createDispatcher } from './dispatcher.ts';
import { isDispatchError } from './errors.ts';
import { createInProcessTransport } from './in-process-transport.ts';
import { createMemoryIdempotencyStore } from './memory-idempotency-store.ts';
import type { DeadLetter } from './outcome.ts';
import { createCaptureTransport } from './test-support/recorders.ts';
import { sealCall } from './test-support/seal-call.ts';
import { createKeyRing, openFrame, type SigningKey } from './wire/index.ts';

const KEY: SigningKey = { id: 'k1', secret: randomBytes(32) };
const NEW_KEY: SigningKey = { id: 'k2', secret: randomBytes(32) };
const signing = { keys: [KEY] };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('redispatch', () => {
  test("sends the frame unchanged through the function's own transport", async () => {
    const own = createCaptureTransport('own');
    const fallback = createCaptureTransport('fallback');
    const dispatcher = createDispatcher({ transport: fallback, signing });
    dispatcher.dispatch('report', () => {}, { transport: own });
    const dead = await sealCall('report', [{ month: 3 }], {
      signing,
      call: { metadata: { tenant: 't1' } },
    });

    const receipt = await dispatcher.redispatch(dead.frame);

    expect(receipt).toEqual({
      id: 'm1',
      callId: dead.callId,
      deduplicated: false,
    });
    expect(own.sent).toMatchObject([
      {
        frame: dead.frame,
        functionName: 'report',
        callId: dead.callId,
        attributes: dead.attributes,
        options: {},
      },
    ]);
    expect(fallback.sent).toEqual([]);
  });

  test('sends a function not registered here to the dispatcher transport', async () => {
    const transport = createCaptureTransport();
    const dispatcher = createDispatcher({ transport, signing });
    const dead = await sealCall('elsewhere', [1], { signing });

    await dispatcher.redispatch(dead.frame, { orderingKey: 'k' });

    expect(transport.sent).toMatchObject([
      { frame: dead.frame, callId: dead.callId, options: { orderingKey: 'k' } },
    ]);
  });

  test('refuses an expired frame unless given a new expiry', async () => {
    const transport = createCaptureTransport();
    const dispatcher = createDispatcher({
      transport,
      signing: { keys: [NEW_KEY, KEY] },
    });
    dispatcher.dispatch('late', (_at: Date) => {});
    const args = [new Date(0)];
    const dead = await sealCall('late', args, {
      signing,
      call: { expiresIn: 0, at: new Date(Date.now() - 1_000) },
    });

    const refused = await rejection(dispatcher.redispatch(dead.frame));
    const before = Date.now();
    await dispatcher.redispatch(dead.frame, { expiresIn: 60_000 });
    await dispatcher.redispatch(dead.frame, { expiresIn: false });

    expect(isDispatchError(refused, 'EXPIRED')).toBe(true);
    expect((refused as Error).message).toContain(dead.callId);
    const ring = createKeyRing([NEW_KEY]);
    const [renewed, unbounded] = transport.sent.map((message) =>
      openFrame(message.frame, ring),
    );
    expect(renewed?.callId).toBe(dead.callId);
    expect(renewed?.expiresAt?.getTime()).toBeGreaterThanOrEqual(
      before + 60_000,
    );
    expect(unbounded?.expiresAt).toBeUndefined();
  });

  test('refuses frames that do not verify with its keys', async () => {
    const dispatcher = createDispatcher({
      transport: createCaptureTransport(),
      signing: { keys: [NEW_KEY] },
    });
    const foreign = await sealCall('report', [], { signing });

    const badSignature = await rejection(dispatcher.redispatch(foreign.frame));
    const malformed = await rejection(dispatcher.redispatch(randomBytes(40)));
    const badOption = await rejection(
      dispatcher.redispatch(foreign.frame, { expiresIn: -1 }),
    );

    expect(isDispatchError(badSignature, 'BAD_SIGNATURE')).toBe(true);
    expect(isDispatchError(malformed, 'MALFORMED_FRAME')).toBe(true);
    expect(isDispatchError(badOption, 'INVALID_OPTIONS')).toBe(true);
  });

  test('reruns a dead letter with its arguments, and a completed one never', async () => {
    const transport = createInProcessTransport({ retryDelay: 0 });
    const letters: DeadLetter[] = [];
    const dispatcher = createDispatcher({
      transport,
      signing,
      maxAttempts: 1,
      idempotency: createMemoryIdempotencyStore(),
      deadLetter: (letter) => {
        letters.push(letter);
      },
    });
    const runs: unknown[][] = [];
    let healthy = false;
    const save = dispatcher.dispatch('save', (id: bigint, at: Date) => {
      if (!healthy) throw new Error('database down');
      runs.push([id, at]);
    });
    await save(7n, new Date(5));
    await transport.drain();

    healthy = true;
    const frame = letters[0]?.frame ?? new Uint8Array();
    await dispatcher.redispatch(frame);
    await transport.drain();
    await dispatcher.redispatch(frame);
    await transport.drain();
    await dispatcher.close();

    expect(letters).toMatchObject([{ reason: 'exhausted' }]);
    expect(runs).toEqual([[7n, new Date(5)]]);
  });

  test('rejects with CLOSED once the dispatcher is closed', async () => {
    const dispatcher = createDispatcher({
      transport: createCaptureTransport(),
      signing,
    });
    const dead = await sealCall('report', [], { signing });
    await dispatcher.close();

    const error = await rejection(dispatcher.redispatch(dead.frame));

    expect(isDispatchError(error, 'CLOSED')).toBe(true);
  });
});
