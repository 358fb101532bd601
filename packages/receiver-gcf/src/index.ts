export type { AnswerBody } from './answer.ts';
export { PUBSUB_MESSAGE_PUBLISHED } from './cloud-event.ts';
export { createCloudEventHandler } from './cloud-event-handler.ts';
export { createHttpHandler } from './http-handler.ts';
export {
  createJsonLogger,
  type JsonLoggerOptions,
  type LogLevel,
  type LogSink,
} from './json-logger.ts';
export type { PubSubPushBody } from './pubsub-message.ts';
export type { Executor, ReceiverOptions } from './receiver-options.ts';
export {
  type RegisteredTargets,
  type RegisterHandlersOptions,
  registerHandlers,
} from './register-handlers.ts';
