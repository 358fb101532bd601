export { createTransportFromEnv, type Environment } from './from-env.ts';
export {
  ensurePushSubscription,
  ensureTopic,
  type PushSubscriptionOptions,
  pushEndpointFor,
} from './provision.ts';
export {
  PUBSUB_REQUEST_LIMIT_BYTES,
  publishRequestBytes,
} from './publish-limit.ts';
export {
  createPubSubClient,
  type PubSubClientOptions,
} from './pubsub-client.ts';
export {
  createPubSubTransport,
  type PubSubTransport,
  type PubSubTransportOptions,
} from './pubsub-transport.ts';
