import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { createDispatcher } from './dispatcher.ts';
import type { DispatcherOptions } from './dispatcher-options.ts';
import { isDispatchError, PermanentError } from './errors.ts';
import {
  type ClaimOptions,
  DEFAULT_IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_LEASE_MARGIN_MS,
  type IdempotencyStore,
} from './idempotency.ts';
import { createMemoryIdempotencyStore } from './memory-idempotency-store.ts';
import { createRecordingLogger } from './test-support/recorders.ts';
import { sealCall } from './test-support/seal-call.ts';
import type { SigningKey } from './wire/index.ts';

const KEY: SigningKey = { id: 'k1', secret: randomBytes(32) };

function createWorker(options: DispatcherOptions) {
  const logger = createRecordingLogger();
  const worker = createDispatcher({
    signing: { keys: [KEY] },
    logger,
    ...options,
  });
  return { worker, logger };
}

/** A store whose every method fails, like a database that is down. */
const brokenStore: IdempotencyStore = {
  claim: () => Promise.reject(new Error('database is locked')),
  complete: () => Promise.reject(new Error('database is locked')),
  release: () => Promise.reject(new Error('database is locked')),
};

describe('execute with an idempotency store', () => {
  test('runs the body once for 50 concurrent deliveries of one frame', async () => {
    const { worker } = createWorker({
      idempotency: createMemoryIdempotencyStore(),
    });
    let runs = 0;
    worker.dispatch('charge', async (_amount: number) => {
      runs += 1;
      await sleep(10);
    });
    const { frame } = await sealCall('charge', [5], {
      signing: { keys: [KEY] },
    });

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => worker.execute(frame, { attempt: 1 })),
    );
    const later = await worker.execute(frame, { attempt: 2 });

    expect(runs).toBe(1);
    const reasons = outcomes.map((outcome) => outcome.reason);
    expect(reasons.filter((reason) => reason === 'completed')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.reason === 'completed') continue;
      expect(outcome).toMatchObject({ kind: 'retry', reason: 'in-progress' });
    }
    expect(later).toMatchObject({ kind: 'done', reason: 'duplicate' });
  });

  test('acknowledges a delivery of a completed call without running it', async () => {
    const { worker, logger } = createWorker({
      idempotency: createMemoryIdempotencyStore(),
    });
    let runs = 0;
    worker.dispatch('greet', (_name: string) => {
      runs += 1;
    });
    const message = await sealCall('greet', ['Ada'], {
      signing: { keys: [KEY] },
    });

    await worker.execute(message.frame, { attempt: 1 });
    const again = await worker.execute(message.frame, { attempt: 1 });

    expect(runs).toBe(1);
    expect(again).toEqual({
      kind: 'done',
      reason: 'duplicate',
      callId: message.callId,
      functionName: 'greet',
      attempt: 1,
    });
    expect(logger.entries[1]).toMatchObject({
      level: 'info',
      message: 'greet already completed',
      fields: { reason: 'duplicate', callId: message.callId },
    });
  });

  test('releases the claim after a failed attempt so the retry runs', async () => {
    const { worker } = createWorker({
      idempotency: createMemoryIdempotencyStore(),
    });
    let runs = 0;
    worker.dispatch('flaky', () => {
      runs += 1;
      if (runs === 1) throw new Error('first attempt fails');
    });
    const { frame } = await sealCall('flaky', [], { signing: { keys: [KEY] } });

    const first = await worker.execute(frame, { attempt: 1 });
    const second = await worker.execute(frame, { attempt: 2 });

    expect(first).toMatchObject({ kind: 'retry', reason: 'failed' });
    expect(second).toMatchObject({ kind: 'done', reason: 'completed' });
    expect(runs).toBe(2);
  });

  test('releases the claim of a permanent failure, so a resend can run', async () => {
    const { worker } = createWorker({
      idempotency: createMemoryIdempotencyStore(),
    });
    let fixed = false;
    worker.dispatch('import', () => {
      if (!fixed) throw new PermanentError('bad row');
    });
    const { frame } = await sealCall('import', [], {
      signing: { keys: [KEY] },
    });

    const dropped = await worker.execute(frame, { attempt: 1 });
    fixed = true;
    const resent = await worker.execute(frame, { attempt: 1 });

    expect(dropped).toMatchObject({ kind: 'drop', reason: 'permanent' });
    expect(resent).toMatchObject({ kind: 'done', reason: 'completed' });
  });

  test('asks for a retry without running the body when the store fails', async () => {
    const { worker, logger } = createWorker({ idempotency: brokenStore });
    let runs = 0;
    worker.dispatch('greet', () => {
      runs += 1;
    });
    const message = await sealCall('greet', [], { signing: { keys: [KEY] } });

    const outcome = await worker.execute(message.frame, { attempt: 1 });

    expect(runs).toBe(0);
    expect(outcome).toMatchObject({
      kind: 'retry',
      reason: 'idempotency-failed',
    });
    expect(isDispatchError(outcome.error, 'IDEMPOTENCY_FAILED')).toBe(true);
    expect((outcome.error as Error).message).toContain(message.callId);
    expect(logger.entries).toMatchObject([
      { level: 'error', fields: { reason: 'idempotency-failed' } },
    ]);
  });

  test('keeps a finished body done when the store cannot record it', async () => {
    const memory = createMemoryIdempotencyStore();
    const { worker, logger } = createWorker({
      idempotency: { ...memory, complete: brokenStore.complete },
    });
    worker.dispatch('greet', () => {});
    const message = await sealCall('greet', [], { signing: { keys: [KEY] } });

    const outcome = await worker.execute(message.frame, { attempt: 1 });

    expect(outcome).toMatchObject({ kind: 'done', reason: 'completed' });
    const failure = logger.entries.find((entry) => entry.level === 'error');
    expect(failure?.fields.error).toSatisfy((error) =>
      isDispatchError(error, 'IDEMPOTENCY_FAILED'),
    );
  });

  test("leases for the function's timeout plus a margin, else the default", async () => {
    const leases: Record<string, number> = {};
    const memory = createMemoryIdempotencyStore();
    const recording: IdempotencyStore = {
      ...memory,
      claim(callId: string, options: ClaimOptions) {
        leases[callId] = options.leaseMs;
        return memory.claim(callId, options);
      },
    };
    const { worker } = createWorker({ idempotency: recording });
    worker.dispatch('quick', () => {}, { timeout: 5_000 });
    worker.dispatch('open', () => {});
    const quick = await sealCall('quick', [], { signing: { keys: [KEY] } });
    const open = await sealCall('open', [], { signing: { keys: [KEY] } });

    await worker.execute(quick.frame, { attempt: 1 });
    await worker.execute(open.frame, { attempt: 1 });

    expect(leases).toEqual({
      [quick.callId]: 5_000 + IDEMPOTENCY_LEASE_MARGIN_MS,
      [open.callId]: DEFAULT_IDEMPOTENCY_LEASE_MS,
    });
  });

  test('refuses an idempotency option that is not a store', () => {
    const create = () =>
      createDispatcher({ idempotency: { store: {} } as never });
    expect(create).toThrow(/option "idempotency" must be/);
  });
});
