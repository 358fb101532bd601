export { type CallContext, currentCall } from './call-context.ts';
export type { CallOptions } from './call-options.ts';
export {
  createDeadlines,
  type Deadlines,
  type Watched,
} from './deadlines.ts';
export {
  closeDispatch,
  configureDispatch,
  dispatch,
  execute,
  flushDispatch,
  redispatch,
} from './default-dispatcher.ts';
export type { DispatchFunction } from './dispatch-function.ts';
export type { DispatchOptions } from './dispatch-options.ts';
export type { DispatchedFunction } from './dispatched-function.ts';
export { createDispatcher, type Dispatcher } from './dispatcher.ts';
export {
  DEFAULT_MAX_ATTEMPTS,
  type DispatcherOptions,
} from './dispatcher-options.ts';
export type {
  Environment,
  EnvironmentTransportKind,
} from './env-config.ts';
export {
  DispatchError,
  type DispatchErrorCode,
  type DispatchErrorContext,
  isDispatchError,
  isPermanentError,
  PermanentError,
} from './errors.ts';
export type {
  ArgumentSource,
  FanOutError,
  FanOutOptions,
  FanOutSummary,
} from './fan-out.ts';
export {
  type ClaimOptions,
  type ClaimResult,
  type CompleteOptions,
  DEFAULT_IDEMPOTENCY_LEASE_MS,
  DEFAULT_IDEMPOTENCY_RETAIN_MS,
  IDEMPOTENCY_LEASE_MARGIN_MS,
  type IdempotencyOptions,
  type IdempotencyStore,
  isIdempotencyStore,
  type ReleaseOptions,
} from './idempotency.ts';
export {
  createInProcessTransport,
  type DrainReport,
  type DroppedCall,
  type FrameExecutor,
  type InProcessTransport,
  type InProcessTransportOptions,
  isInProcessTransport,
} from './in-process-transport.ts';
export { type LogFields, type Logger, silentLogger } from './logger.ts';
export {
  createMemoryIdempotencyStore,
  type MemoryIdempotencyStore,
} from './memory-idempotency-store.ts';
export type {
  DeadLetter,
  DeadLetterContext,
  DeadLetterHandler,
  Delivery,
  ExecutionOutcome,
  OutcomeReason,
} from './outcome.ts';
export type { RedispatchOptions } from './redispatch-options.ts';
export type {
  AnyFunction,
  CheckSerializableParameters,
  EnsureSerializable,
  NotSerializable,
  RegisteredClasses,
  Serializable,
} from './serializable.ts';
export type { SigningOptions } from './signing.ts';
export {
  CALL_ID_ATTRIBUTE,
  type DispatchReceipt,
  FUNCTION_ATTRIBUTE,
  type OutgoingMessage,
  type Transport,
} from './transport.ts';
export {
  type CborCodecOptions,
  type Codec,
  cborCodec,
  createCborCodec,
  createKeyRing,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  jsonCodec,
  type KeyRing,
  parseSigningKeys,
  type SigningKey,
  type TaggedClass,
} from './wire/index.ts';
