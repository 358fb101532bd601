import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { createDispatcher, type Dispatcher } from './dispatcher.ts';
import type { DispatcherOptions } from './dispatcher-options.ts';
import { createInProcessTransport } from './in-process-transport.ts';
import { createCaptureTransport } from './test-support/recorders.ts';

const signing = { keys: [{ id: 'k1', secret: randomBytes(32) }] };
const MIB = 1024 * 1024;

let open: Dispatcher[] = [];

afterEach(async () => {
  await Promise.all(open.map((dispatcher) => dispatcher.close()));
  open = [];
});

function dispatcherWith(options: DispatcherOptions): Dispatcher {
  const dispatcher = createDispatcher(options);
  open.push(dispatcher);
  return dispatcher;
}

describe('the size of a call\u2019s arguments', () => {
  test('over maxUncompressedBytes rejects with PAYLOAD_TOO_LARGE before anything is sent', async () => {
    const transport = createCaptureTransport();
    const dispatcher = dispatcherWith({
      transport,
      signing,
      maxUncompressedBytes: 1000,
    });
    const store = dispatcher.dispatch('store', async (_text: string) => {});

    // Snappy shrinks this far below the limit: the limit is on the
    // encoded size, which the worker checks after inflating.
    const error = await store('z'.repeat(5000)).catch((caught) => caught);

    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      functionName: 'store',
    });
    expect(error.message).toMatch(/store.*500\d bytes.*1000/);
    expect(transport.sent).toEqual([]);
  });

  test('a call the worker accepts under the same limit still goes through', async () => {
    const transport = createInProcessTransport();
    const dispatcher = dispatcherWith({
      transport,
      maxUncompressedBytes: 1000,
    });
    const received: string[] = [];
    const store = dispatcher.dispatch('store', (text: string) => {
      received.push(text);
    });

    await store('z'.repeat(900));
    const report = await transport.drain();

    expect(report).toEqual({ completed: 1, retried: 0, dropped: [] });
    expect(received).toEqual(['z'.repeat(900)]);
  });

  test('by default the caller refuses what the worker would drop: over 32 MiB', async () => {
    const transport = createInProcessTransport();
    const dispatcher = dispatcherWith({ transport });
    const big = dispatcher.dispatch('big', async (_text: string) => {});

    const error = await big('z'.repeat(32 * MIB)).catch((caught) => caught);
    const report = await transport.drain();

    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(error.message).toContain(String(32 * MIB));
    expect(report).toEqual({ completed: 0, retried: 0, dropped: [] });
  });
});
