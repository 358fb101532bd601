import { fileURLToPath } from 'node:url';
import {
  type CloudTasksEmulator,
  startCloudTasksEmulator,
} from '@cloud-functions-dispatch/cloudtasks-emulator';
import {
  closeDispatch,
  configureDispatch,
  parseSigningKeys,
} from '@cloud-functions-dispatch/core';
import {
  startWorker,
  uniqueName,
  type Worker,
} from '@cloud-functions-dispatch/testing';
import { createCloudTasksTransport } from '@cloud-functions-dispatch/transport-cloudtasks';
import { CloudTasksClient, type protos } from '@google-cloud/tasks';
import { grpc } from 'google-gax';
import { type Collector, startCollector } from '../fixtures/collector.ts';
import { createSigningKeysText } from '../fixtures/signing.ts';

const WORKER_MODULE = fileURLToPath(new URL('./worker.ts', import.meta.url));
const PROJECT = 'e2e-tasks';
const LOCATION = `projects/${PROJECT}/locations/here`;

/** Everything one Cloud Tasks end-to-end file runs against. */
export interface CloudTasksSuite {
  readonly emulator: CloudTasksEmulator;
  readonly collector: Collector;
  readonly worker: Worker;
  /** The official client, pointed at the emulator, for inspection. */
  readonly client: CloudTasksClient;
  /** The queue the default dispatcher sends to. */
  readonly queue: string;
  /** `DISPATCH_SIGNING_KEYS` shared by this process and the worker. */
  readonly keysText: string;
  stop(): Promise<void>;
}

process.env.METADATA_SERVER_DETECTION ??= 'none';

/**
 * Starts our emulator, a collector and a real functions-framework worker
 * running the suite's functions, creates one queue with `queue` settings
 * and points the default dispatcher (`dispatch()`) at it through the
 * Cloud Tasks transport, signing with a key both processes share.
 */
export async function startCloudTasksSuite(
  queue: Omit<protos.google.cloud.tasks.v2.IQueue, 'name'> = {},
): Promise<CloudTasksSuite> {
  // Stopped in reverse order, also when a later step fails.
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };

  try {
    const keysText = createSigningKeysText();
    const emulator = await startCloudTasksEmulator({ port: 0 });
    stops.push(() => emulator.close());
    const collector = await startCollector();
    stops.push(() => collector.stop());
    const worker = await startWorker({
      source: WORKER_MODULE,
      target: 'dispatch',
      signatureType: 'http',
      env: { ...collector.env, DISPATCH_SIGNING_KEYS: keysText },
    });
    stops.push(() => worker.stop());
    const client = createEmulatorClient(emulator);
    stops.push(() => client.close());

    const name = `${LOCATION}/queues/${uniqueName('calls')}`;
    await client.createQueue({ parent: LOCATION, queue: { ...queue, name } });
    configureDispatch({
      transport: createCloudTasksTransport({
        queue: name,
        url: `${worker.url}/`,
        emulatorHost: emulator.address,
      }),
      signing: { keys: parseSigningKeys(keysText) },
    });
    stops.push(() => closeDispatch());

    return {
      emulator,
      collector,
      worker,
      client,
      queue: name,
      keysText,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The official client, talking plaintext gRPC to our emulator. */
export function createEmulatorClient(
  emulator: CloudTasksEmulator,
): CloudTasksClient {
  return new CloudTasksClient({
    servicePath: emulator.host,
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: PROJECT,
  });
}
