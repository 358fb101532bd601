import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createDispatcher } from './dispatcher.ts';
import type { DispatcherOptions } from './dispatcher-options.ts';
import { isDispatchError } from './errors.ts';
import type { LogFields, Logger } from './logger.ts';
import type { DeadLetter } from './outcome.ts';
import type { OutgoingMessage, Transport } from './transport.ts';
import { cborCodec, jsonCodec, type SigningKey } from './wire/index.ts';

const KEY: SigningKey = { id: 'k1', secret: randomBytes(32) };
const OTHER_KEY: SigningKey = { id: 'k1', secret: randomBytes(32) };

interface LogEntry {
  level: keyof Logger;
  message: string;
  fields: LogFields;
}

/** A logger that keeps every entry, to check levels and fields. */
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

/** A transport that keeps the messages it is given, like a queue would. */
function createCaptureTransport(): Transport & { sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  return {
    name: 'capture',
    sent,
    async send(message) {
      sent.push(message);
      return {
        id: `m${sent.length}`,
        callId: message.callId,
        deduplicated: false,
      };
    },
    flush: async () => {},
    close: async () => {},
  };
}

/** Seals one call of `name` with `KEY` and returns the frame. */
async function frameFor(
  name: string,
  args: unknown[],
  options: DispatcherOptions = {},
): Promise<OutgoingMessage> {
  const transport = createCaptureTransport();
  const sender = createDispatcher({
    transport,
    signing: { keys: [KEY] },
    ...options,
  });
  const fn = sender.dispatch(name, (..._args: unknown[]) => {});
  await fn(...args);
  const message = transport.sent[0];
  if (message === undefined) throw new Error('nothing was sent');
  return message;
}

function createWorker(options: DispatcherOptions = {}) {
  const logger = createMemoryLogger();
  const letters: DeadLetter[] = [];
  const worker = createDispatcher({
    signing: { keys: [KEY] },
    logger,
    deadLetter: (letter) => {
      letters.push(letter);
    },
    ...options,
  });
  return { worker, logger, letters };
}

describe('execute', () => {
  test('runs the body and logs completion with the call id at info', async () => {
    const { worker, logger } = createWorker();
    const received: unknown[] = [];
    worker.dispatch('greet', (name: string) => {
      received.push(name);
    });
    const message = await frameFor('greet', ['Ada']);

    const outcome = await worker.execute(message.frame, { attempt: 1 });

    expect(outcome).toEqual({
      kind: 'done',
      reason: 'completed',
      callId: message.callId,
      functionName: 'greet',
      attempt: 1,
    });
    expect(received).toEqual(['Ada']);
    expect(logger.entries).toMatchObject([
      {
        level: 'info',
        fields: { callId: message.callId, functionName: 'greet', attempt: 1 },
      },
    ]);
  });

  test("logs to the receiver's logger only when the dispatcher has none", async () => {
    const receiverLogger = createMemoryLogger();
    const bare = createDispatcher({ signing: { keys: [KEY] } });
    const { worker, logger } = createWorker();
    for (const dispatcher of [bare, worker])
      dispatcher.dispatch('greet', () => {});
    const message = await frameFor('greet', ['Ada']);

    await bare.execute(
      message.frame,
      { attempt: 1 },
      { logger: receiverLogger },
    );
    await worker.execute(
      message.frame,
      { attempt: 1 },
      { logger: receiverLogger },
    );

    expect(receiverLogger.entries).toHaveLength(1);
    expect(logger.entries).toHaveLength(1);
  });

  test('sets the function and call id as attributes beside the metadata', async () => {
    const message = await frameFor('greet', ['Ada']);
    expect(message.attributes).toEqual({
      'dispatch.function': 'greet',
      'dispatch.call_id': message.callId,
    });
  });

  test('asks for a retry with a warning when the body throws', async () => {
    const { worker, logger, letters } = createWorker();
    worker.dispatch('fail', () => {
      throw new Error('database down');
    });
    const message = await frameFor('fail', []);

    const outcome = await worker.execute(message.frame, { attempt: 2 });

    expect(outcome).toMatchObject({
      kind: 'retry',
      reason: 'failed',
      attempt: 2,
    });
    expect(logger.entries.map((entry) => entry.level)).toEqual(['warn']);
    expect(letters).toEqual([]);
  });

  test('drops a frame signed with an unknown secret as bad-signature', async () => {
    const { worker, logger, letters } = createWorker({
      signing: { keys: [OTHER_KEY] },
    });
    let runs = 0;
    worker.dispatch('greet', () => {
      runs += 1;
    });
    const message = await frameFor('greet', ['Ada']);

    const outcome = await worker.execute(message.frame, { attempt: 1 });

    expect(outcome).toMatchObject({ kind: 'drop', reason: 'bad-signature' });
    expect(isDispatchError(outcome.error, 'BAD_SIGNATURE')).toBe(true);
    expect(runs).toBe(0);
    expect(letters).toMatchObject([{ reason: 'bad-signature', attempt: 1 }]);
    expect(logger.entries).toMatchObject([
      { level: 'error', fields: { security: true } },
    ]);
  });

  test('drops bytes that are not a frame as malformed', async () => {
    const { worker, letters } = createWorker();
    const outcome = await worker.execute(randomBytes(64), { attempt: 1 });
    expect(outcome).toMatchObject({ kind: 'drop', reason: 'malformed' });
    expect(letters).toHaveLength(1);
  });

  test('retries a call of an unknown function, then drops it at maxAttempts', async () => {
    const { worker, logger, letters } = createWorker({ maxAttempts: 3 });
    const message = await frameFor('newFeature', [1]);

    const early = await worker.execute(message.frame, { attempt: 2 });
    const last = await worker.execute(message.frame, { attempt: 3 });

    expect(early).toMatchObject({ kind: 'retry', reason: 'unknown-function' });
    expect(last).toMatchObject({ kind: 'drop', reason: 'unknown-function' });
    expect(isDispatchError(last.error, 'UNKNOWN_FUNCTION')).toBe(true);
    expect(letters).toMatchObject([{ reason: 'unknown-function', attempt: 3 }]);
    expect(logger.entries.map((entry) => entry.level)).toEqual([
      'error',
      'error',
    ]);
  });

  test('asks for a retry when the worker has no signing key', async () => {
    const letters: DeadLetter[] = [];
    const keyless = createDispatcher({
      deadLetter: (letter) => {
        letters.push(letter);
      },
    });
    keyless.dispatch('greet', () => {});
    const message = await frameFor('greet', ['Ada']);

    const outcome = await keyless.execute(message.frame, { attempt: 1 });

    expect(outcome).toMatchObject({ kind: 'retry', reason: 'no-signing-key' });
    expect(isDispatchError(outcome.error, 'NO_SIGNING_KEY')).toBe(true);
    expect(letters).toEqual([]);
  });

  test('drops arguments over maxUncompressedBytes as too-large', async () => {
    const { worker } = createWorker({ maxUncompressedBytes: 64 });
    worker.dispatch('big', (_text: string) => {});
    const message = await frameFor('big', ['x'.repeat(1000)]);

    const outcome = await worker.execute(message.frame, { attempt: 1 });

    expect(outcome).toMatchObject({ kind: 'drop', reason: 'too-large' });
  });

  test('accepts the JSON codec by default and refuses it when not listed', async () => {
    const open = createWorker();
    const strict = createWorker({ codecs: [cborCodec] });
    for (const { worker } of [open, strict]) worker.dispatch('note', () => {});
    const message = await frameFor('note', ['hi'], { codec: jsonCodec });

    const accepted = await open.worker.execute(message.frame, { attempt: 1 });
    const refused = await strict.worker.execute(message.frame, { attempt: 1 });

    expect(accepted).toMatchObject({ kind: 'done' });
    expect(refused).toMatchObject({ kind: 'drop', reason: 'malformed' });
  });

  test('logs a failing dead-letter hook instead of throwing', async () => {
    const { worker, logger } = createWorker({
      deadLetter: () => {
        throw new Error('storage full');
      },
    });
    const outcome = await worker.execute(new Uint8Array([1, 2, 3]), {
      attempt: 1,
    });

    expect(outcome.kind).toBe('drop');
    const failure = logger.entries.find((entry) =>
      entry.message.includes('dead-letter'),
    );
    expect(failure?.fields.error).toHaveProperty('message', 'storage full');
  });
});
