import { DispatchError } from '@cloud-functions-dispatch/core';
import { PubSub } from '@google-cloud/pubsub';

/** Options for {@link createPubSubClient}. */
export interface PubSubClientOptions {
  /** Google Cloud project id. Required when an emulator is targeted. */
  projectId?: string;
  /**
   * `host:port` of a Pub/Sub emulator. Default:
   * `process.env.PUBSUB_EMULATOR_HOST`; unset means Google's service.
   */
  emulatorHost?: string;
}

/**
 * Creates a `PubSub` client. Pointed at an emulator it needs an explicit
 * project id and sets `METADATA_SERVER_DETECTION=none` (unless already
 * set), so the client never probes the cloud metadata server.
 */
export function createPubSubClient(options: PubSubClientOptions = {}): PubSub {
  const { projectId } = options;
  const emulatorHost =
    options.emulatorHost ?? process.env.PUBSUB_EMULATOR_HOST ?? '';
  if (emulatorHost === '') {
    return new PubSub(projectId === undefined ? {} : { projectId });
  }

  if (!projectId) {
    throw new DispatchError(
      'INVALID_OPTIONS',
      `Connecting to the Pub/Sub emulator at ${emulatorHost}: a projectId ` +
        'is required (set GOOGLE_CLOUD_PROJECT or pass projectId)',
    );
  }
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  return new PubSub({
    projectId,
    apiEndpoint: emulatorHost,
    emulatorMode: true,
  });
}
