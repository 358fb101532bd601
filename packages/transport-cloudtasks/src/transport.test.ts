import {
  type DispatchError,
  isDispatchError,
} from '@cloud-functions-dispatch/core';
import {
  type SilentServer,
  startSilentServer,
} from '@cloud-functions-dispatch/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TASK_BYTES } from './task-request.ts';
import { makeMessage } from './testing/messages.ts';
import { createCloudTasksTransport } from './transport.ts';

const QUEUE = 'projects/p/locations/l/queues/q';
const URL = 'http://127.0.0.1:9/dispatch';
const THIRTY_ONE_DAYS = 31 * 24 * 60 * 60 * 1000;

process.env.METADATA_SERVER_DETECTION ??= 'none';

async function rejection(promise: Promise<unknown>): Promise<DispatchError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isDispatchError(error)) throw new Error(`not a DispatchError: ${error}`);
  return error;
}

function creating(options: Record<string, unknown>): () => unknown {
  return () =>
    createCloudTasksTransport({ queue: QUEUE, url: URL, ...options } as never);
}

describe('createCloudTasksTransport options', () => {
  it('refuses a queue that is not a full queue path', () => {
    expect(creating({ queue: 'q' })).toThrow(/queue must be projects\//);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(creating({ url: 'ftp://x/y' })).toThrow(/url must be/);
  });

  it('refuses a dispatchDeadline outside 15 s to 30 min', () => {
    expect(creating({ dispatchDeadline: 14_999 })).toThrow(
      /dispatchDeadline must lie between 15000 and 1800000 ms, got 14999/,
    );
    expect(creating({ dispatchDeadline: 1_800_001 })).toThrow(
      /dispatchDeadline/,
    );
    expect(creating({ dispatchDeadline: 15_000 })).not.toThrow();
  });

  it('refuses an emulator address without a port', () => {
    expect(creating({ emulatorHost: 'localhost' })).toThrow(
      /CLOUD_TASKS_EMULATOR_HOST must be host:port, got "localhost"/,
    );
  });

  it('names itself after the queue', async () => {
    const transport = createCloudTasksTransport({ queue: QUEUE, url: URL });
    await transport.close();
    expect(transport.name).toBe(`cloudtasks:${QUEUE}`);
  });
});

describe('Cloud Tasks transport against a server that never answers', () => {
  let server: SilentServer;

  beforeAll(async () => {
    server = await startSilentServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('rejects invalid call options before any connection is made', async () => {
    const transport = createCloudTasksTransport({
      queue: QUEUE,
      url: URL,
      emulatorHost: server.host,
    });
    const calls = [
      { orderingKey: 'user-1' },
      { delay: THIRTY_ONE_DAYS },
      { at: new Date(Date.now() + THIRTY_ONE_DAYS) },
      { delay: -5 },
    ];

    for (const options of calls) {
      const error = await rejection(transport.send(makeMessage(options)));
      expect(error.code).toBe('INVALID_OPTIONS');
      expect(error.message).toContain(Object.keys(options)[0]);
      expect(error.message).toContain(QUEUE);
      expect(error.functionName).toBe('sendMail');
    }
    await transport.close();

    expect(server.connections()).toBe(0);
  });

  it('refuses a task over the size limit before any connection', async () => {
    const transport = createCloudTasksTransport({
      queue: QUEUE,
      url: URL,
      emulatorHost: server.host,
    });

    const message = makeMessage({}, MAX_TASK_BYTES);

    const error = await rejection(transport.send(message));
    await transport.close();

    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/1000\d{3} bytes, over the 1000000-byte/);
    expect(error.message).toContain(`(call ${message.callId})`);
    expect(error.message).toContain(QUEUE);
    expect(server.connections()).toBe(0);
  });

  it('turns a createTask that gets no answer into TRANSPORT_FAILED', async () => {
    const transport = createCloudTasksTransport({
      queue: QUEUE,
      url: URL,
      emulatorHost: server.host,
      timeoutMs: 300,
    });
    const message = makeMessage();

    const error = await rejection(transport.send(message));
    await transport.close();

    expect(error.code).toBe('TRANSPORT_FAILED');
    expect(error.message).toContain(QUEUE);
    expect(error.message).toContain(message.callId);
    expect(error.message).toContain('sendMail');
    expect(error.cause).toBeInstanceOf(Error);
    expect(server.connections()).toBeGreaterThan(0);
  });

  it('refuses to send once closed', async () => {
    const transport = createCloudTasksTransport({
      queue: QUEUE,
      url: URL,
      emulatorHost: server.host,
    });
    await transport.close();

    const error = await rejection(transport.send(makeMessage()));

    expect(error.code).toBe('CLOSED');
  });
});
