import { isDispatchError } from '@cloud-functions-dispatch/core';
import {
  type SilentServer,
  startSilentServer,
} from '@cloud-functions-dispatch/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTransportFromEnv } from './from-env.ts';
import { publishRequestBytes } from './publish-limit.ts';
import {
  createPubSubTransport,
  type PubSubTransport,
  type PubSubTransportOptions,
} from './pubsub-transport.ts';
import { outgoingMessage } from './test-support/messages.ts';

// These tests point the transport at a server that accepts connections and
// never answers: it counts connections and makes any publish hang.
describe('the Pub/Sub transport without a working service', () => {
  let server: SilentServer;
  const transports: PubSubTransport[] = [];

  beforeEach(async () => {
    server = await startSilentServer();
  });

  afterEach(async () => {
    await Promise.allSettled(transports.splice(0).map((t) => t.close()));
    await server.stop();
  });

  function transport(options: Partial<PubSubTransportOptions> = {}) {
    const created = createPubSubTransport({
      topic: 'calls',
      projectId: 'offline-project',
      emulatorHost: server.host,
      publishTimeoutMs: 500,
      ...options,
    });
    transports.push(created);
    return created;
  }

  it.each([
    ['dedupeKey', { dedupeKey: 'once' }],
    ['delay', { delay: 1000 }],
    ['at', { at: new Date() }],
  ])(
    'rejects %s with INVALID_OPTIONS, sending nothing',
    async (name, options) => {
      const failure = transport().send(outgoingMessage({ options }));

      await expect(failure).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining(`option ${name} is not supported`),
      });
      expect(server.connections()).toBe(0);
    },
  );

  it('rejects an ordering key when message ordering is off', async () => {
    const sender = transport({ messageOrdering: false });
    const message = outgoingMessage({ options: { orderingKey: 'user-1' } });

    await expect(sender.send(message)).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('orderingKey'),
    });
  });

  it('rejects a message over 10,000,000 bytes before any network call', async () => {
    const message = outgoingMessage({
      frame: new Uint8Array(10_000_000),
      metadata: { tenant: 'acme' },
      options: { orderingKey: 'user-1' },
    });
    const size = publishRequestBytes(
      message.frame,
      message.attributes,
      'user-1',
    );

    const failure = await transport()
      .send(message)
      .catch((error: unknown) => error);

    expect(isDispatchError(failure, 'PAYLOAD_TOO_LARGE')).toBe(true);
    expect(String(failure)).toContain(`is ${size} bytes`);
    expect(String(failure)).toContain('limit of 10000000 bytes');
    expect(String(failure)).toContain(message.callId);
    expect(server.connections()).toBe(0);
  });

  it.each([
    [
      'more than 100 attributes',
      { metadata: Object.fromEntries(manyEntries(99)) },
      'has 101 attributes',
    ],
    [
      'an ordering key over 1024 bytes',
      { options: { orderingKey: 'k'.repeat(1025) } },
      'orderingKey is 1025 bytes',
    ],
  ])(
    'rejects %s with INVALID_OPTIONS before any network call',
    async (_, fields, detail) => {
      const message = outgoingMessage(fields);

      const failure = await transport()
        .send(message)
        .catch((error: unknown) => error);

      expect(isDispatchError(failure, 'INVALID_OPTIONS')).toBe(true);
      expect(String(failure)).toContain(detail);
      expect(String(failure)).toContain(message.callId);
      expect(server.connections()).toBe(0);
    },
  );

  it('sends a message of exactly 10,000,000 bytes to the network', async () => {
    const probe = outgoingMessage({ frame: new Uint8Array(0) });
    const overhead = publishRequestBytes(probe.frame, probe.attributes);
    const message = outgoingMessage({
      frame: new Uint8Array(10_000_000 - overhead),
    });

    const failure = await transport()
      .send(message)
      .catch((error: unknown) => error);

    expect(isDispatchError(failure, 'TRANSPORT_FAILED')).toBe(true);
    expect(server.connections()).toBeGreaterThan(0);
  });

  it('fails a publish the service never answers with TRANSPORT_FAILED', async () => {
    const sender = transport({ publishTimeoutMs: 300 });
    const message = outgoingMessage({ functionName: 'updateRelated' });

    const failure = await sender.send(message).catch((error: unknown) => error);

    expect(isDispatchError(failure, 'TRANSPORT_FAILED')).toBe(true);
    expect(failure).toMatchObject({
      functionName: 'updateRelated',
      callId: message.callId,
      message: expect.stringContaining(
        `call ${message.callId} of updateRelated to topic calls via the ` +
          `Pub/Sub emulator at ${server.host} timed out after 300 ms`,
      ),
    });
    await sender.close();
  });

  it('refuses to send after close()', async () => {
    const sender = transport();
    await sender.close();

    await expect(sender.send(outgoingMessage())).rejects.toMatchObject({
      code: 'CLOSED',
    });
  });
});

describe('createTransportFromEnv', () => {
  it('needs DISPATCH_PUBSUB_TOPIC', () => {
    expect(() => createTransportFromEnv({})).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('DISPATCH_PUBSUB_TOPIC'),
      }),
    );
  });

  it('needs a project id when it targets an emulator', () => {
    const env = {
      DISPATCH_PUBSUB_TOPIC: 'calls',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:1',
    };

    expect(() => createTransportFromEnv(env)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('projectId'),
      }),
    );
  });

  it('names the transport after the topic', async () => {
    const transport = createTransportFromEnv({
      DISPATCH_PUBSUB_TOPIC: 'calls',
      GOOGLE_CLOUD_PROJECT: 'env-project',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:1',
    });

    expect(transport.name).toBe('pubsub:calls');
    await transport.close();
  });
});

function manyEntries(count: number): [string, string][] {
  return Array.from({ length: count }, (_, index) => [`key${index}`, 'v']);
}
