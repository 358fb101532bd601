import { DispatchError, type Transport } from '@cloud-functions-dispatch/core';
import { createPubSubTransport } from './pubsub-transport.ts';

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Builds the transport from environment variables, for core's zero-config
 * path: `DISPATCH_PUBSUB_TOPIC` (required), `GOOGLE_CLOUD_PROJECT` and
 * `PUBSUB_EMULATOR_HOST`.
 *
 * @param env Default `process.env`.
 */
export function createTransportFromEnv(
  env: Environment = process.env,
): Transport {
  const topic = env.DISPATCH_PUBSUB_TOPIC?.trim();
  if (!topic) {
    throw new DispatchError(
      'INVALID_OPTIONS',
      'Creating the Pub/Sub transport from the environment: ' +
        'DISPATCH_PUBSUB_TOPIC is not set',
    );
  }

  const projectId = env.GOOGLE_CLOUD_PROJECT?.trim() || undefined;
  const emulatorHost = env.PUBSUB_EMULATOR_HOST?.trim() || undefined;
  return createPubSubTransport({
    topic,
    ...(projectId === undefined ? {} : { projectId }),
    ...(emulatorHost === undefined ? {} : { emulatorHost }),
  });
}
