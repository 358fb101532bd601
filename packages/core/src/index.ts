export type { CallOptions } from './call-options.ts';
export {
  DispatchError,
  type DispatchErrorCode,
  type DispatchErrorContext,
  isDispatchError,
  isPermanentError,
  PermanentError,
} from './errors.ts';
export { type LogFields, type Logger, silentLogger } from './logger.ts';
export type {
  DeadLetter,
  DeadLetterHandler,
  Delivery,
  ExecutionOutcome,
  OutcomeReason,
} from './outcome.ts';
export {
  CALL_ID_ATTRIBUTE,
  type DispatchReceipt,
  FUNCTION_ATTRIBUTE,
  type OutgoingMessage,
  type Transport,
} from './transport.ts';
