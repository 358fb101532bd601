import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { currentCall } from './call-context.ts';
import { createDispatcher, type Dispatcher } from './dispatcher.ts';
import { isDispatchError } from './errors.ts';
import { createInProcessTransport } from './in-process-transport.ts';
import type { Transport } from './transport.ts';

const signing = { keys: [{ id: 'k1', secret: randomBytes(32) }] };

/**
 * A transport that accepts each frame a moment later (after a macrotask,
 * as a network would), counting what it has accepted.
 */
function createSlowTransport(): Transport & { accepted: () => number } {
  let accepted = 0;
  return {
    name: 'slow',
    accepted: () => accepted,
    async send(message) {
      await new Promise((resolve) => setImmediate(resolve));
      accepted += 1;
      return {
        id: String(accepted),
        callId: message.callId,
        deduplicated: false,
      };
    },
    flush: async () => {},
    close: async () => {},
  };
}

let open: Dispatcher[] = [];

afterEach(async () => {
  await Promise.all(open.map((dispatcher) => dispatcher.close()));
  open = [];
});

function dispatcherWith(transport: Transport): Dispatcher {
  const dispatcher = createDispatcher({ transport, signing });
  open.push(dispatcher);
  return dispatcher;
}

describe('fanOut', () => {
  test('sends 10,000 calls pulling the source only as capacity frees up', async () => {
    const transport = createSlowTransport();
    const chunk = dispatcherWith(transport).dispatch(
      'chunk',
      (_index: number, _label: string) => {},
    );
    let pulled = 0;
    let mostOutstanding = 0;
    function* source(): Generator<[number, string]> {
      for (let index = 0; index < 10_000; index += 1) {
        pulled += 1;
        mostOutstanding = Math.max(
          mostOutstanding,
          pulled - transport.accepted(),
        );
        yield [index, `chunk ${index}`];
      }
    }

    const summary = await chunk.fanOut(source(), { concurrency: 16 });

    expect(summary).toEqual({ dispatched: 10_000, failed: 0, errors: [] });
    expect(transport.accepted()).toBe(10_000);
    expect(mostOutstanding).toBeLessThanOrEqual(16);
    // Capacity is actually used: more than one call was in flight.
    expect(mostOutstanding).toBeGreaterThan(1);
  });

  test('collects failures with their index and keeps going', async () => {
    const transport = createSlowTransport();
    const take = dispatcherWith(transport).dispatch(
      'take',
      (_value: unknown) => {},
    );
    // Every 1,000th item carries a function, which cannot be encoded.
    const items = function* (): Generator<[unknown]> {
      for (let index = 0; index < 10_000; index += 1) {
        yield [index % 1000 === 7 ? () => index : index];
      }
    };

    const summary = await take.fanOut(items(), {
      concurrency: 16,
      maxErrors: 3,
    });

    expect(summary.dispatched).toBe(9_990);
    expect(summary.failed).toBe(10);
    expect(summary.errors.map((failure) => failure.index)).toEqual([
      7, 1007, 2007,
    ]);
    for (const { error } of summary.errors) {
      expect(isDispatchError(error, 'NOT_SERIALIZABLE')).toBe(true);
    }
  });

  test('reads async iterables and stops at a source that throws, without rejecting', async () => {
    const transport = createSlowTransport();
    const take = dispatcherWith(transport).dispatch('take', (_n: number) => {});
    async function* source(): AsyncGenerator<[number]> {
      for (let index = 0; index < 5; index += 1) yield [index];
      throw new Error('cursor lost');
    }

    const summary = await take.fanOut(source(), { concurrency: 2 });

    expect(summary.dispatched).toBe(5);
    expect(summary.failed).toBe(1);
    expect(summary.errors[0]?.index).toBe(5);
    expect(summary.errors[0]?.error).toHaveProperty('message', 'cursor lost');
  });

  test('records an item that is not an argument array as a failure', async () => {
    const take = dispatcherWith(createSlowTransport()).dispatch(
      'take',
      (_n: number) => {},
    );
    const summary = await take.fanOut([[1], 2 as never, [3]]);
    expect(summary).toMatchObject({ dispatched: 2, failed: 1 });
    expect(summary.errors[0]?.index).toBe(1);
  });

  test('applies .with() options and runs every call through the in-process transport', async () => {
    const transport = createInProcessTransport();
    const dispatcher = dispatcherWith(transport);
    let total = 0;
    const metadata: string[] = [];
    const add = dispatcher.dispatch('add', (n: number) => {
      total += n;
      metadata.push(currentCall()?.metadata.batch ?? 'missing');
    });
    const numbers = Array.from({ length: 500 }, (_, index): [number] => [
      index,
    ]);

    const summary = await add
      .with({ metadata: { batch: 'b1' } })
      .fanOut(numbers);
    const report = await transport.drain();

    expect(summary.dispatched).toBe(500);
    expect(report.completed).toBe(500);
    expect(total).toBe((499 * 500) / 2);
    expect(metadata).toEqual(Array.from({ length: 500 }, () => 'b1'));
  });

  test('refuses a bad concurrency before pulling anything', async () => {
    const take = dispatcherWith(createSlowTransport()).dispatch(
      'take',
      (_n: number) => {},
    );
    let pulled = 0;
    function* source(): Generator<[number]> {
      pulled += 1;
      yield [1];
    }
    await expect(
      take.fanOut(source(), { concurrency: 0 }),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    expect(pulled).toBe(0);
  });
});
