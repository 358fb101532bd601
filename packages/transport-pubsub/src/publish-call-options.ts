import type { CallOptions, PubSub } from '@google-cloud/pubsub';

// gRPC status codes the Publish RPC retries by default.
const CANCELLED = 1;
const UNKNOWN = 2;
const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;
const ABORTED = 10;
const INTERNAL = 13;

/**
 * The client's default retry codes for Publish without UNAVAILABLE. An
 * emulator that refuses connections is not running: retrying would only
 * wait out the whole timeout, hide the cause ("connect ECONNREFUSED") and
 * leave a backoff timer that keeps the process alive after `close()`.
 */
const EMULATOR_RETRY_CODES = [
  CANCELLED,
  UNKNOWN,
  DEADLINE_EXCEEDED,
  RESOURCE_EXHAUSTED,
  ABORTED,
  INTERNAL,
];

/**
 * Call options for every publish: the RPC gets the same deadline as the
 * publish (so a timed-out publish is cancelled); with an emulator, a
 * channel that cannot connect fails the publish at once.
 */
export function publishCallOptions(
  pubsub: PubSub,
  timeoutMs: number,
): CallOptions {
  if (!pubsub.isEmulator) return { timeout: timeoutMs };
  return { timeout: timeoutMs, retry: { retryCodes: EMULATOR_RETRY_CODES } };
}

/**
 * Where the client sends publishes, for error messages: the emulator's
 * `host:port`, or the service endpoint.
 */
export function describeEndpoint(pubsub: PubSub): string {
  const { servicePath, port } = pubsub.options;
  if (pubsub.isEmulator) {
    return `the Pub/Sub emulator at ${servicePath}:${port}`;
  }
  return `${servicePath ?? 'pubsub.googleapis.com'}:${port ?? 443}`;
}
