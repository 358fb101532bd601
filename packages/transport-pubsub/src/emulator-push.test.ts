// What the README's local development section says about the Pub/Sub
// emulator's push deliveries, checked against the emulator itself.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uniqueName, waitUntil } from '@cloud-functions-dispatch/testing';
import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensurePushSubscription, pushEndpointFor } from './provision.ts';

const emulator = inject('pubsubEmulator');

interface PushBody {
  message: Record<string, unknown>;
  deliveryAttempt?: number;
}

describe.skipIf(emulator === null)(
  'the Pub/Sub emulator pushing to a failing worker',
  () => {
    const bodies: PushBody[] = [];
    let pubsub: PubSub;
    let worker: Server;

    beforeAll(async () => {
      if (emulator === null) return;
      pubsub = new PubSub({
        projectId: emulator.projectId,
        apiEndpoint: emulator.host,
      });
      worker = createServer(async (request, response) => {
        let text = '';
        for await (const chunk of request) text += chunk;
        bodies.push(JSON.parse(text) as PushBody);
        response.writeHead(500).end();
      });
      worker.listen(0, '127.0.0.1');
      await once(worker, 'listening');
    });

    afterAll(async () => {
      await pubsub?.close();
      worker?.closeAllConnections();
      worker?.close();
    });

    it('pushes the message again with no deliveryAttempt to count', async () => {
      if (emulator === null) return;
      const topic = uniqueName('failing');
      const { port } = worker.address() as AddressInfo;
      const workerUrl = `http://127.0.0.1:${port}`;
      const subscription = await ensurePushSubscription(pubsub, {
        topic,
        subscription: uniqueName('push'),
        endpoint: pushEndpointFor(workerUrl, emulator.projectId, topic),
      });

      await pubsub.topic(topic).publishMessage({ data: Buffer.from('call') });
      const retried = await waitUntil(() => bodies.length >= 2, {
        timeoutMs: 10_000,
      });
      await subscription.delete();

      expect(retried).toBe(true);
      for (const body of bodies) {
        expect(body.deliveryAttempt).toBeUndefined();
        expect(body.message).not.toHaveProperty('deliveryAttempt');
      }
    }, 20_000);
  },
);
