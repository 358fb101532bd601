export type { AnswerBody, RefusalReason } from './answer.ts';
export { PUBSUB_MESSAGE_PUBLISHED } from './cloud-event.ts';
export { createCloudEventHandler } from './cloud-event-handler.ts';
export {
  DEFAULT_GRACE_PERIOD_MS,
  type ShutdownOptions,
} from './graceful-shutdown.ts';
export { createHttpHandler } from './http-handler.ts';
export {
  createJsonLogger,
  type JsonLoggerOptions,
  type LogLevel,
  type LogSink,
} from './json-logger.ts';
export type { OidcOptions } from './oidc.ts';
export type { PubSubPushBody } from './pubsub-message.ts';
export type { Executor, ReceiverOptions } from './receiver-options.ts';
export {
  type RegisteredTargets,
  type RegisterHandlersOptions,
  registerHandlers,
} from './register-handlers.ts';
