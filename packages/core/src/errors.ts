/** Every failure the library reports carries one of these stable codes. */
export type DispatchErrorCode =
  | 'NO_TRANSPORT'
  | 'NO_SIGNING_KEY'
  | 'INVALID_OPTIONS'
  | 'NOT_SERIALIZABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'DUPLICATE_FUNCTION'
  | 'ANONYMOUS_FUNCTION'
  | 'UNKNOWN_FUNCTION'
  | 'BAD_SIGNATURE'
  | 'MALFORMED_FRAME'
  | 'EXPIRED'
  | 'TIMEOUT'
  | 'TRANSPORT_FAILED'
  | 'IDEMPOTENCY_FAILED'
  | 'CLOSED';

/** Where an error happened, so one call can be followed end to end. */
export interface DispatchErrorContext {
  /** The dispatched function's registered name. */
  functionName?: string;
  /** The call id carried in the envelope. */
  callId?: string;
  /** The original error, kept for logs and `instanceof` checks. */
  cause?: unknown;
}

/**
 * The one error class of the library. Branch on `code`, never on `message`.
 *
 * @example
 * try {
 *   await sendMail(to, body);
 * } catch (error) {
 *   if (isDispatchError(error, 'PAYLOAD_TOO_LARGE')) shrink();
 * }
 */
export class DispatchError extends Error {
  override readonly name = 'DispatchError';
  readonly code: DispatchErrorCode;
  readonly functionName: string | undefined;
  readonly callId: string | undefined;

  constructor(
    code: DispatchErrorCode,
    message: string,
    context: DispatchErrorContext = {},
  ) {
    super(message, { cause: context.cause });
    this.code = code;
    this.functionName = context.functionName;
    this.callId = context.callId;
  }
}

/**
 * Throw this from a dispatched function when retrying cannot help (bad
 * input, a record that no longer exists). The call is acknowledged and
 * handed to the dead-letter hook instead of being retried.
 */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
}

/** True when `error` is a {@link DispatchError}, optionally of one `code`. */
export function isDispatchError(
  error: unknown,
  code?: DispatchErrorCode,
): error is DispatchError {
  if (!(error instanceof DispatchError)) return false;
  return code === undefined || error.code === code;
}

/** True when `error` is a {@link PermanentError} or a subclass of it. */
export function isPermanentError(error: unknown): error is PermanentError {
  return error instanceof PermanentError;
}
