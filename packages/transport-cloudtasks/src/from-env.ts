import { DispatchError } from '@cloud-functions-dispatch/core';
import { EMULATOR_HOST_VARIABLE } from './client.ts';
import type { CloudTasksTransportOptions } from './options.ts';
import {
  type CloudTasksTransport,
  createCloudTasksTransport,
} from './transport.ts';

/**
 * Builds the transport from environment variables, for the zero-code path:
 * `DISPATCH_CLOUDTASKS_QUEUE` (full queue path) and `DISPATCH_TARGET_URL`
 * are required; `DISPATCH_CLOUDTASKS_SERVICE_ACCOUNT` adds an OIDC token.
 * `CLOUD_TASKS_EMULATOR_HOST` (`host:port`) points it at an emulator.
 *
 * @example
 * const transport = createTransportFromEnv();
 */
export function createTransportFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CloudTasksTransport {
  const queue = env.DISPATCH_CLOUDTASKS_QUEUE;
  const url = env.DISPATCH_TARGET_URL;
  const missing = [
    queue ? undefined : 'DISPATCH_CLOUDTASKS_QUEUE',
    url ? undefined : 'DISPATCH_TARGET_URL',
  ].filter((name) => name !== undefined);
  if (!queue || !url) {
    throw new DispatchError(
      'NO_TRANSPORT',
      `Cloud Tasks transport from environment: set ${missing.join(' and ')}`,
    );
  }

  const options: CloudTasksTransportOptions = { queue, url };
  const account = env.DISPATCH_CLOUDTASKS_SERVICE_ACCOUNT;
  if (account) options.serviceAccountEmail = account;
  const emulatorHost = env[EMULATOR_HOST_VARIABLE];
  if (emulatorHost) options.emulatorHost = emulatorHost;
  return createCloudTasksTransport(options);
}
