export {
  DEAD_LETTER_ATTEMPT_ATTRIBUTE,
  DEAD_LETTER_ERROR_ATTRIBUTE,
  DEAD_LETTER_REASON_ATTRIBUTE,
} from './dead-letter-attributes.ts';
export {
  createPubSubDeadLetterHandler,
  type DeadLetterPublishResult,
  type PubSubDeadLetterHandler,
  type PubSubDeadLetterOptions,
} from './dead-letter-handler.ts';
export { createTransportFromEnv, type Environment } from './from-env.ts';
export {
  PUBSUB_ATTRIBUTE_KEY_LIMIT_BYTES,
  PUBSUB_ATTRIBUTE_VALUE_LIMIT_BYTES,
  PUBSUB_MAX_ATTRIBUTES,
  PUBSUB_ORDERING_KEY_LIMIT_BYTES,
} from './message-limits.ts';
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
