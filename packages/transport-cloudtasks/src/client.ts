import { DispatchError } from '@cloud-functions-dispatch/core';
import { CloudTasksClient } from '@google-cloud/tasks';
import { grpc } from 'google-gax';

/** The variable firebase-tools also reads: `host:port` of an emulator. */
export const EMULATOR_HOST_VARIABLE = 'CLOUD_TASKS_EMULATOR_HOST';

/**
 * Builds the client for a queue. With an emulator address it speaks
 * plaintext gRPC to it and never probes the cloud metadata server.
 */
export function createClient(
  queue: string,
  emulatorHost: string | undefined,
): CloudTasksClient {
  const projectId = queue.split('/')[1] ?? '';
  if (!emulatorHost) return new CloudTasksClient({ projectId });

  // Without credentials the auth library would look for a metadata
  // server, which an emulator setup never has.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  const { host, port } = parseHostPort(emulatorHost);
  return new CloudTasksClient({
    servicePath: host,
    port,
    // Must be google-gax's own grpc copy: credentials from another copy
    // of @grpc/grpc-js are rejected by the channel.
    sslCreds: grpc.credentials.createInsecure(),
    projectId,
  });
}

function parseHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new DispatchError(
      'INVALID_OPTIONS',
      `createCloudTasksTransport: ${EMULATOR_HOST_VARIABLE} must be ` +
        `host:port, got "${address}"`,
    );
  }
  return { host, port };
}
