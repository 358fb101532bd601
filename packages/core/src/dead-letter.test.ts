import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { CallOptions } from './call-options.ts';
import { createDispatcher } from './dispatcher.ts';
import { PermanentError } from './errors.ts';
import { createMemoryIdempotencyStore } from './memory-idempotency-store.ts';
import type { DeadLetter, OutcomeReason } from './outcome.ts';
import { sealCall } from './test-support/seal-call.ts';
import type { SigningKey } from './wire/index.ts';

const KEY: SigningKey = { id: 'k1', secret: randomBytes(32) };
const STRANGER: SigningKey = { id: 'k1', secret: randomBytes(32) };

interface DropCase {
  reason: OutcomeReason;
  /** The function the frame calls; `fails` throws, `stops` is permanent. */
  functionName: string;
  args?: unknown[];
  call?: CallOptions;
  attempt?: number;
  key?: SigningKey;
}

const DROPS: DropCase[] = [
  { reason: 'permanent', functionName: 'stops' },
  { reason: 'exhausted', functionName: 'fails', attempt: 3 },
  {
    reason: 'expired',
    functionName: 'fails',
    call: { at: new Date(Date.now() - 1_000), expiresIn: 0 },
  },
  { reason: 'unknown-function', functionName: 'gone', attempt: 3 },
  { reason: 'bad-signature', functionName: 'fails', key: STRANGER },
  { reason: 'too-large', functionName: 'fails', args: ['x'.repeat(200)] },
];

function createWorker() {
  const letters: DeadLetter[] = [];
  const worker = createDispatcher({
    signing: { keys: [KEY] },
    maxAttempts: 3,
    maxUncompressedBytes: 100,
    idempotency: createMemoryIdempotencyStore(),
    deadLetter: (letter) => {
      letters.push(letter);
    },
  });
  worker.dispatch('fails', (..._args: unknown[]) => {
    throw new Error('still broken');
  });
  worker.dispatch('stops', () => {
    throw new PermanentError('bad input');
  });
  worker.dispatch('works', () => {});
  return { worker, letters };
}

describe('the dead-letter hook', () => {
  test.each(DROPS)(
    'receives a call dropped as $reason with its frame',
    async (drop) => {
      const { worker, letters } = createWorker();
      const message = await sealCall(drop.functionName, drop.args ?? [], {
        signing: { keys: [drop.key ?? KEY] },
        call: drop.call ?? {},
      });
      const attempt = drop.attempt ?? 1;

      await worker.execute(message.frame, { attempt });

      const known = drop.reason !== 'bad-signature';
      expect(letters).toEqual([
        {
          reason: drop.reason,
          attempt,
          frame: message.frame,
          ...(known
            ? { callId: message.callId, functionName: drop.functionName }
            : {}),
          error: expect.any(Error),
        },
      ]);
    },
  );

  test('receives bytes that are not a frame as malformed', async () => {
    const { worker, letters } = createWorker();
    const bytes = randomBytes(30);

    await worker.execute(bytes, { attempt: 1 });

    expect(letters).toMatchObject([{ reason: 'malformed', frame: bytes }]);
  });

  test('hears nothing of calls that completed, will retry or ran before', async () => {
    const { worker, letters } = createWorker();
    const works = await sealCall('works', [], { signing: { keys: [KEY] } });
    const fails = await sealCall('fails', [], { signing: { keys: [KEY] } });

    await worker.execute(works.frame, { attempt: 1 });
    await worker.execute(works.frame, { attempt: 1 });
    await worker.execute(fails.frame, { attempt: 1 });

    expect(letters).toEqual([]);
  });
});
