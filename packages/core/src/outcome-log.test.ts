import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { CallOptions } from './call-options.ts';
import { createDispatcher } from './dispatcher.ts';
import type { DispatcherOptions } from './dispatcher-options.ts';
import type { LogFields, Logger } from './logger.ts';
import type { OutgoingMessage, Transport } from './transport.ts';
import type { SigningKey } from './wire/index.ts';

const KEY: SigningKey = { id: 'k1', secret: randomBytes(32) };
const FORGED_KEY: SigningKey = { id: 'k1', secret: randomBytes(32) };

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TRACESTATE = 'vendor=opaque,other=1';

interface LogEntry {
  level: keyof Logger;
  message: string;
  fields: LogFields;
}

function createMemoryLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: keyof Logger) =>
    (message: string, fields: LogFields = {}) => {
      entries.push({ level, message, fields });
    };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** Seals one call of `name`, signed with `key`, and returns its message. */
async function seal(
  name: string,
  callOptions: CallOptions = {},
  key: SigningKey = KEY,
): Promise<OutgoingMessage> {
  const sent: OutgoingMessage[] = [];
  const transport: Transport = {
    name: 'capture',
    async send(message) {
      sent.push(message);
      return { id: 'm1', callId: message.callId, deduplicated: false };
    },
    flush: async () => {},
    close: async () => {},
  };
  const sender = createDispatcher({ transport, signing: { keys: [key] } });
  await sender.dispatch(name, (_text: string) => {}).with(callOptions)('hi');
  const [message] = sent;
  if (message === undefined) throw new Error('nothing was sent');
  return message;
}

function createWorker(options: DispatcherOptions = {}) {
  const logger = createMemoryLogger();
  const worker = createDispatcher({
    signing: { keys: [KEY] },
    logger,
    ...options,
  });
  worker.dispatch('greet', () => {});
  worker.dispatch('fail', () => {
    throw new Error('database down');
  });
  return { worker, logger };
}

const traced: CallOptions = {
  metadata: { traceparent: TRACEPARENT, tracestate: TRACESTATE },
};

describe('outcome log lines', () => {
  test.each([
    ['completed', 'greet', 'info'],
    ['retried', 'fail', 'warn'],
  ] as const)(
    'a %s call logs the envelope trace context',
    async (_, name, level) => {
      const { worker, logger } = createWorker();
      const message = await seal(name, traced);

      await worker.execute(message.frame, { attempt: 1 });

      expect(logger.entries).toMatchObject([
        {
          level,
          fields: {
            callId: message.callId,
            functionName: name,
            traceparent: TRACEPARENT,
            tracestate: TRACESTATE,
          },
        },
      ]);
    },
  );

  test('a failing dead-letter hook is logged with the trace context', async () => {
    const { worker, logger } = createWorker({
      maxAttempts: 1,
      deadLetter: () => {
        throw new Error('storage full');
      },
    });
    const message = await seal('fail', traced);

    await worker.execute(message.frame, { attempt: 1 });

    const failure = logger.entries.find((entry) =>
      entry.message.includes('dead-letter hook failed'),
    );
    expect(failure?.fields).toMatchObject({
      callId: message.callId,
      traceparent: TRACEPARENT,
      tracestate: TRACESTATE,
    });
  });

  test('a call without trace context logs no trace fields', async () => {
    const { worker, logger } = createWorker();
    const message = await seal('greet');

    await worker.execute(message.frame, { attempt: 1 });

    expect(logger.entries[0]?.fields).not.toHaveProperty('traceparent');
    expect(logger.entries[0]?.fields).not.toHaveProperty('tracestate');
  });

  test('a frame with a bad signature logs the claimed ids as unverified', async () => {
    const { worker, logger } = createWorker();
    const message = await seal('greet', traced, FORGED_KEY);

    await worker.execute(message.frame, {
      attempt: 1,
      claimedCallId: message.callId,
      claimedFunctionName: 'greet',
    });

    const [entry] = logger.entries;
    expect(entry).toMatchObject({
      level: 'error',
      message: 'a call claiming to be "greet" dropped (bad-signature)',
      fields: {
        security: true,
        unverifiedCallId: message.callId,
        unverifiedFunctionName: 'greet',
      },
    });
    expect(entry?.fields.callId).toBeUndefined();
    expect(entry?.fields.functionName).toBeUndefined();
    // The trace inside an unverified frame is not trusted either.
    expect(entry?.fields).not.toHaveProperty('traceparent');
  });

  test('bytes that are not a frame log the claims as unverified', async () => {
    const { worker, logger } = createWorker();

    await worker.execute(randomBytes(64), {
      attempt: 1,
      claimedCallId: 'call-1',
      claimedFunctionName: 'greet\nforged line',
    });

    expect(logger.entries).toMatchObject([
      {
        message:
          'a call claiming to be "greet\\nforged line" dropped (malformed)',
        fields: {
          unverifiedCallId: 'call-1',
          unverifiedFunctionName: 'greet\nforged line',
        },
      },
    ]);
  });

  test('a claim over 200 characters is cut short', async () => {
    const { worker, logger } = createWorker();

    await worker.execute(randomBytes(64), {
      attempt: 1,
      claimedCallId: 'x'.repeat(5000),
    });

    expect(logger.entries[0]?.fields.unverifiedCallId).toBe(
      `${'x'.repeat(200)}…`,
    );
  });

  test('a verified frame logs its own ids and ignores the claims', async () => {
    const { worker, logger } = createWorker();
    const message = await seal('greet');

    await worker.execute(message.frame, {
      attempt: 1,
      claimedCallId: 'forged-id',
      claimedFunctionName: 'somethingElse',
    });

    const [entry] = logger.entries;
    expect(entry?.message).toBe('greet completed');
    expect(entry?.fields).toMatchObject({
      callId: message.callId,
      functionName: 'greet',
    });
    expect(entry?.fields).not.toHaveProperty('unverifiedCallId');
    expect(entry?.fields).not.toHaveProperty('unverifiedFunctionName');
  });
});
