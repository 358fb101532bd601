import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import {
  closeDispatch,
  configureDispatch,
  dispatch,
  execute,
} from './default-dispatcher.ts';
import { createDispatcher } from './dispatcher.ts';
import { createInProcessTransport } from './in-process-transport.ts';
import type { OutgoingMessage } from './transport.ts';

const signing = { keys: [{ id: 'k1', secret: randomBytes(32) }] };
const received: string[] = [];

// Registered at import time, before any configuration, as apps do.
const remember = dispatch('remember', (text: string) => {
  received.push(text);
});

afterAll(async () => {
  await closeDispatch();
});

describe('the default dispatcher', () => {
  test('configureDispatch routes functions registered earlier', async () => {
    const transport = createInProcessTransport();
    configureDispatch({ transport, signing, env: {} });

    await remember('configured later');
    const report = await transport.drain();

    expect(report.completed).toBe(1);
    expect(received).toContain('configured later');
  });

  test('configureDispatch names itself in the errors it throws', () => {
    const error = (() => {
      try {
        configureDispatch({ maxAttempts: 0 });
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect((error as Error).message).toMatch(
      /^configureDispatch: option "maxAttempts"/,
    );
  });

  test('execute runs a frame sealed elsewhere with the same keys', async () => {
    const sent: OutgoingMessage[] = [];
    const caller = createDispatcher({
      signing,
      transport: {
        name: 'capture',
        send: async (message) => {
          sent.push(message);
          return { id: '1', callId: message.callId, deduplicated: false };
        },
        flush: async () => {},
        close: async () => {},
      },
    });
    await caller.dispatch('remember', (_text: string) => {})('from a caller');
    await caller.close();
    const frame = sent[0]?.frame ?? new Uint8Array();

    const outcome = await execute(frame, { attempt: 1, source: 'test' });

    expect(outcome).toMatchObject({ kind: 'done', functionName: 'remember' });
    expect(received).toContain('from a caller');
  });
});
