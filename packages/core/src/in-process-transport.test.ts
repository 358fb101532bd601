import { afterEach, describe, expect, test } from 'vitest';
import { currentCall } from './call-context.ts';
import { createDispatcher, type Dispatcher } from './dispatcher.ts';
import type { DispatcherOptions } from './dispatcher-options.ts';
import { isDispatchError, PermanentError } from './errors.ts';
import {
  createInProcessTransport,
  type InProcessTransport,
} from './in-process-transport.ts';
import type { DeadLetter } from './outcome.ts';

let open: Dispatcher[] = [];

afterEach(async () => {
  await Promise.all(open.map((dispatcher) => dispatcher.close()));
  open = [];
});

function setUp(options: DispatcherOptions = {}): {
  dispatcher: Dispatcher;
  transport: InProcessTransport;
  letters: DeadLetter[];
} {
  const transport = createInProcessTransport({ retryDelay: 1 });
  const letters: DeadLetter[] = [];
  const dispatcher = createDispatcher({
    transport,
    deadLetter: (letter) => {
      letters.push(letter);
    },
    ...options,
  });
  open.push(dispatcher);
  return { dispatcher, transport, letters };
}

describe('in-process transport', () => {
  test('argument values survive the whole trip', async () => {
    const { dispatcher, transport } = setUp();
    const received: unknown[][] = [];
    const store = dispatcher.dispatch('store', (...args: unknown[]) => {
      received.push(args);
    });
    const values = [
      new Date('2024-02-29T12:00:00.123Z'),
      -(2n ** 70n),
      new Map<string, unknown>([['a', new Set([1, 2])]]),
      new Uint8Array([0, 255]),
      { nested: { list: [undefined, null, 'é🚀'] } },
    ];

    await store(...values);
    const report = await transport.drain();

    expect(report).toEqual({ completed: 1, retried: 0, dropped: [] });
    expect(received).toEqual([values]);
    expect(received[0]?.[0]).toBeInstanceOf(Date);
    expect(received[0]?.[2]).toBeInstanceOf(Map);
  });

  test('never runs the body inside the caller or before the receipt', async () => {
    const { dispatcher, transport } = setUp();
    let ran = false;
    const mark = dispatcher.dispatch('mark', () => {
      ran = true;
    });

    const sending = mark();
    expect(ran).toBe(false);
    const receipt = await sending;
    expect(ran).toBe(false);
    expect(receipt.deduplicated).toBe(false);
    expect(receipt.callId).toMatch(/^[0-9a-f-]{36}$/);

    await transport.drain();
    expect(ran).toBe(true);
  });

  test('retries a failing body until it succeeds', async () => {
    const { dispatcher, transport } = setUp();
    const attempts: number[] = [];
    const flaky = dispatcher.dispatch('flaky', () => {
      const attempt = currentCall()?.attempt ?? 0;
      attempts.push(attempt);
      if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
    });

    await flaky();
    const report = await transport.drain();

    expect(attempts).toEqual([1, 2, 3]);
    expect(report).toEqual({ completed: 1, retried: 2, dropped: [] });
  });

  test('does not retry a PermanentError and hands it to the dead-letter hook', async () => {
    const { dispatcher, transport, letters } = setUp();
    let runs = 0;
    const refuse = dispatcher.dispatch('refuse', () => {
      runs += 1;
      throw new PermanentError('no such record');
    });

    const receipt = await refuse();
    const report = await transport.drain();

    expect(runs).toBe(1);
    expect(report.dropped).toMatchObject([
      { callId: receipt.callId, functionName: 'refuse', reason: 'permanent' },
    ]);
    expect(letters).toMatchObject([
      { reason: 'permanent', attempt: 1, callId: receipt.callId },
    ]);
  });

  test('gives up after maxAttempts and hands the call to the dead-letter hook', async () => {
    const { dispatcher, transport, letters } = setUp();
    let runs = 0;
    const broken = dispatcher.dispatch(
      'broken',
      () => {
        runs += 1;
        throw new Error('always');
      },
      { maxAttempts: 3 },
    );

    const receipt = await broken();
    const report = await transport.drain();

    expect(runs).toBe(3);
    expect(report.retried).toBe(2);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      reason: 'exhausted',
      attempt: 3,
      callId: receipt.callId,
      functionName: 'broken',
    });
    expect(letters[0]?.frame.byteLength).toBeGreaterThan(0);
    expect(letters[0]?.error).toHaveProperty('message', 'always');
  });

  test('counts a body that outlives its timeout as failed and aborts its signal', async () => {
    const { dispatcher, transport } = setUp();
    let aborted = false;
    const slow = dispatcher.dispatch(
      'slow',
      async () => {
        const signal = currentCall()?.signal;
        await new Promise((resolve) =>
          signal?.addEventListener('abort', resolve),
        );
        aborted = signal?.aborted ?? false;
      },
      { timeout: 20, maxAttempts: 1 },
    );

    await slow();
    const report = await transport.drain();

    expect(aborted).toBe(true);
    expect(report.dropped).toHaveLength(1);
    expect(report.dropped[0]?.reason).toBe('exhausted');
    expect(isDispatchError(report.dropped[0]?.error, 'TIMEOUT')).toBe(true);
  });

  test('gives a body that looks at its signal only after the timeout an aborted one', async () => {
    const { dispatcher, transport } = setUp();
    let looked: (reason: unknown) => void = () => {};
    const reason = new Promise((resolve) => {
      looked = resolve;
    });
    const late = dispatcher.dispatch(
      'lateLooker',
      async () => {
        const call = currentCall();
        await new Promise((resolve) => setTimeout(resolve, 60));
        looked(call?.signal.reason);
      },
      { timeout: 20, maxAttempts: 1 },
    );

    await late();
    await transport.drain();

    expect(isDispatchError(await reason, 'TIMEOUT')).toBe(true);
  });

  test('drops an expired call without running it', async () => {
    const { dispatcher, transport, letters } = setUp();
    let runs = 0;
    const late = dispatcher.dispatch('late', () => {
      runs += 1;
    });

    // Scheduled a second ago with 10 ms of tolerance: already too late.
    const at = new Date(Date.now() - 1000);
    await late.with({ at, expiresIn: 10 })();
    const report = await transport.drain();

    expect(runs).toBe(0);
    expect(report.dropped).toMatchObject([{ reason: 'expired' }]);
    expect(letters).toMatchObject([{ reason: 'expired' }]);
    expect(isDispatchError(letters[0]?.error, 'EXPIRED')).toBe(true);
  });

  test('lets a body dispatch more calls and drains them all', async () => {
    const { dispatcher, transport } = setUp();
    const seen: string[] = [];
    const traces: (string | undefined)[] = [];
    const leaf = dispatcher.dispatch('leaf', (label: string) => {
      seen.push(label);
      traces.push(currentCall()?.traceparent);
    });
    const root = dispatcher.dispatch('root', async (count: number) => {
      for (let i = 0; i < count; i += 1) await leaf(`leaf ${i}`);
    });
    const traceparent =
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    await root.with({ metadata: { traceparent } })(3);
    const report = await transport.drain();

    expect(report.completed).toBe(4);
    expect(seen.sort()).toEqual(['leaf 0', 'leaf 1', 'leaf 2']);
    expect(traces).toEqual([traceparent, traceparent, traceparent]);
  });

  test('reports only what finished since the previous drain', async () => {
    const { dispatcher, transport } = setUp();
    const ok = dispatcher.dispatch('ok', () => {});
    const bad = dispatcher.dispatch(
      'bad',
      () => {
        throw new Error('no');
      },
      { maxAttempts: 2 },
    );

    await ok();
    await ok();
    const failed = await bad();
    const first = await transport.drain();
    const second = await transport.drain();

    expect(first.completed).toBe(2);
    expect(first.retried).toBe(1);
    expect(first.dropped).toMatchObject([
      { callId: failed.callId, functionName: 'bad', reason: 'exhausted' },
    ]);
    expect(second).toEqual({ completed: 0, retried: 0, dropped: [] });
  });

  test('runs a delayed call after the immediate ones', async () => {
    const { dispatcher, transport } = setUp();
    const order: string[] = [];
    const note = dispatcher.dispatch('note', (label: string) => {
      order.push(label);
    });

    await note.with({ delay: 30 })('later');
    await note('now');
    await transport.drain();

    expect(order).toEqual(['now', 'later']);
  });

  test('accepts a repeated dedupeKey once', async () => {
    const { dispatcher, transport } = setUp();
    let runs = 0;
    const once = dispatcher.dispatch('once', () => {
      runs += 1;
    });

    const first = await once.with({ dedupeKey: 'order-1' })();
    const second = await once.with({ dedupeKey: 'order-1' })();
    await transport.drain();

    expect(first.deduplicated).toBe(false);
    expect(second).toMatchObject({ id: first.id, deduplicated: true });
    expect(runs).toBe(1);
  });

  test('runs calls with one orderingKey in order, retries included', async () => {
    const { dispatcher, transport } = setUp();
    const order: string[] = [];
    const step = dispatcher.dispatch('step', (label: string) => {
      const attempt = currentCall()?.attempt ?? 0;
      order.push(`${label}#${attempt}`);
      if (label === 'a' && attempt === 1) throw new Error('retry me');
    });

    const ordered = step.with({ orderingKey: 'user-1' });
    await ordered('a');
    await ordered('b');
    await transport.drain();

    expect(order).toEqual(['a#1', 'a#2', 'b#1']);
  });

  test('refuses arguments that cannot be encoded before sending anything', async () => {
    const { dispatcher, transport } = setUp();
    const take = dispatcher.dispatch('take', (_value: unknown) => {});

    const sending = take(() => 'a function');
    await expect(sending).rejects.toMatchObject({
      code: 'NOT_SERIALIZABLE',
      functionName: 'take',
    });
    expect(await transport.drain()).toEqual({
      completed: 0,
      retried: 0,
      dropped: [],
    });
  });

  test('refuses a call when no dispatcher is attached', async () => {
    const transport = createInProcessTransport();
    const sending = transport.send({
      frame: new Uint8Array([1]),
      functionName: 'orphan',
      callId: 'c1',
      attributes: {},
      options: {},
    });
    await expect(sending).rejects.toMatchObject({
      code: 'NO_TRANSPORT',
      functionName: 'orphan',
    });
    expect(await transport.drain()).toEqual({
      completed: 0,
      retried: 0,
      dropped: [],
    });
  });

  test('close runs pending calls, then later calls reject with CLOSED', async () => {
    const { dispatcher } = setUp();
    let runs = 0;
    const count = dispatcher.dispatch('count', () => {
      runs += 1;
    });

    await count();
    await dispatcher.close();

    expect(runs).toBe(1);
    await expect(count()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
