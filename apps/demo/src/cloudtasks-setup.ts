import { startCloudTasksEmulator } from '@cloud-functions-dispatch/cloudtasks-emulator';
import type { Transport } from '@cloud-functions-dispatch/core';
import { createCloudTasksTransport } from '@cloud-functions-dispatch/transport-cloudtasks';
import { CloudTasksClient } from '@google-cloud/tasks';
import { grpc } from 'google-gax';
import type { Cleanup } from './cleanup.ts';

const QUEUE = 'projects/demo-project/locations/us-central1/queues/demo';

/**
 * Starts the bundled Cloud Tasks emulator with a queue whose retries are
 * quick enough to watch, and a transport that targets the worker.
 */
export async function setUpCloudTasks(
  workerUrl: string,
  cleanup: Cleanup,
): Promise<Transport> {
  const emulator = await startCloudTasksEmulator({ port: 0, queues: [QUEUE] });
  cleanup.add(() => emulator.close());

  process.env.METADATA_SERVER_DETECTION ??= 'none';
  const client = new CloudTasksClient({
    servicePath: emulator.host,
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: 'demo-project',
  });
  cleanup.add(() => client.close());
  await client.updateQueue({
    queue: {
      name: QUEUE,
      rateLimits: { maxDispatchesPerSecond: 500, maxConcurrentDispatches: 64 },
      retryConfig: {
        maxAttempts: 10,
        minBackoff: { nanos: 100_000_000 },
        maxBackoff: { seconds: 2 },
      },
    },
    updateMask: { paths: ['rate_limits', 'retry_config'] },
  });

  const transport = createCloudTasksTransport({
    queue: QUEUE,
    url: workerUrl,
    client,
  });
  cleanup.add(() => transport.close());
  return transport;
}
