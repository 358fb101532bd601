import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createDispatcher,
  type Dispatcher,
  type OutgoingMessage,
  type Transport,
} from '@cloud-functions-dispatch/core';
import { afterAll, describe, expect, test } from 'vitest';
import {
  createSqliteIdempotencyStore,
  type SqliteIdempotencyStore,
} from './sqlite-idempotency-store.ts';

const signing = { keys: [{ id: 'k1', secret: randomBytes(32) }] };
const folder = mkdtempSync(join(tmpdir(), 'idempotency-sqlite-'));

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Seals one call of `charge` and returns its frame, as a queue holds it. */
async function chargeFrame(amount: number): Promise<Uint8Array> {
  const sent: OutgoingMessage[] = [];
  const transport: Transport = {
    name: 'capture',
    send: async (message) => {
      sent.push(message);
      return { id: 'm1', callId: message.callId, deduplicated: false };
    },
    flush: async () => {},
    close: async () => {},
  };
  const sender = createDispatcher({ transport, signing });
  await sender.dispatch('charge', (_amount: number) => {})(amount);
  return sent[0]?.frame ?? new Uint8Array();
}

/** Two workers, as two instances would be, each with its own connection. */
function createWorkers(path: string, charged: number[]) {
  const stores: SqliteIdempotencyStore[] = [];
  const workers: Dispatcher[] = [];
  for (let index = 0; index < 2; index += 1) {
    const store = createSqliteIdempotencyStore({ path });
    const worker = createDispatcher({ signing, idempotency: store });
    worker.dispatch('charge', async (amount: number) => {
      charged.push(amount);
      await sleep(10);
    });
    stores.push(store);
    workers.push(worker);
  }
  return { stores, workers };
}

describe('execute with a SQLite idempotency store', () => {
  test('runs the body once for 50 concurrent deliveries over two workers', async () => {
    const charged: number[] = [];
    const { stores, workers } = createWorkers(join(folder, 'a.db'), charged);
    const frame = await chargeFrame(42);

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        workers[index % 2]?.execute(frame, { attempt: 1 }),
      ),
    );
    const redelivered = await workers[1]?.execute(frame, { attempt: 2 });
    await Promise.all(stores.map((store) => store.close()));

    expect(charged).toEqual([42]);
    const reasons = outcomes.map((outcome) => outcome?.reason);
    expect(reasons.filter((reason) => reason === 'completed')).toHaveLength(1);
    expect(new Set(reasons)).toEqual(new Set(['completed', 'in-progress']));
    expect(redelivered).toMatchObject({ kind: 'done', reason: 'duplicate' });
  });
});
