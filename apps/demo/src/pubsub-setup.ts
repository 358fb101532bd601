import type { Transport } from '@cloud-functions-dispatch/core';
import {
  findPubSubEmulator,
  startPubSubEmulator,
  uniqueName,
} from '@cloud-functions-dispatch/testing';
import {
  createPubSubClient,
  createPubSubTransport,
  ensurePushSubscription,
  pushEndpointFor,
} from '@cloud-functions-dispatch/transport-pubsub';
import type { Cleanup } from './cleanup.ts';

/** True when the demo can run on Pub/Sub without asking anything. */
export function pubSubAvailable(): boolean {
  return Boolean(process.env.PUBSUB_EMULATOR_HOST) || !!findPubSubEmulator();
}

/**
 * Uses `PUBSUB_EMULATOR_HOST` or starts Google's emulator, then creates a
 * topic with a push subscription to the worker.
 */
export async function setUpPubSub(
  workerUrl: string,
  cleanup: Cleanup,
): Promise<Transport> {
  const { host, projectId } = await emulatorFor(cleanup);
  const pubsub = createPubSubClient({ projectId, emulatorHost: host });
  cleanup.add(() => pubsub.close());

  const topic = uniqueName('demo-calls');
  await ensurePushSubscription(pubsub, {
    topic,
    subscription: `${topic}-worker`,
    endpoint: pushEndpointFor(workerUrl, projectId, topic),
    ackDeadlineSeconds: 30,
  });

  const transport = createPubSubTransport({ topic, projectId, pubsub });
  cleanup.add(() => transport.close());
  return transport;
}

async function emulatorFor(cleanup: Cleanup) {
  const host = process.env.PUBSUB_EMULATOR_HOST;
  const projectId = process.env.GOOGLE_CLOUD_PROJECT ?? 'demo-project';
  if (host) return { host, projectId };

  console.log('Starting the Pub/Sub emulator...');
  const emulator = await startPubSubEmulator({ projectId });
  cleanup.add(() => emulator.stop());
  return { host: emulator.host, projectId };
}
