import type { DispatchError } from './errors.ts';
import type { Logger } from './logger.ts';

/** Why a delivery ended the way it did. */
export type OutcomeReason =
  | 'completed'
  | 'failed'
  | 'permanent'
  | 'exhausted'
  | 'unknown-function'
  | 'bad-signature'
  | 'malformed'
  | 'too-large'
  | 'expired'
  | 'duplicate'
  | 'in-progress'
  | 'idempotency-failed'
  | 'no-signing-key';

/**
 * The result of executing one delivery. A receiver maps `kind` to its
 * answer: `done` and `drop` acknowledge, `retry` asks for redelivery.
 */
export interface ExecutionOutcome {
  readonly kind: 'done' | 'retry' | 'drop';
  readonly reason: OutcomeReason;
  /** Present once the envelope could be decoded. */
  readonly callId?: string;
  readonly functionName?: string;
  /** The delivery attempt this outcome answers (1 for the first). */
  readonly attempt: number;
  /** The error the body threw, or why the frame was refused. */
  readonly error?: unknown;
}

/** What a receiver knows about one delivery of a frame. */
export interface Delivery {
  /** 1 for the first delivery; taken from the service's own counter. */
  attempt: number;
  /** The service's id for the delivery (message id, task name). */
  messageId?: string;
  /** Which path brought it, for logs: `pubsub-push`, `cloudtasks`, ... */
  source?: string;
  /**
   * The call id the transport carried beside the frame (the
   * `dispatch.call_id` attribute, the `X-Dispatch-Call-Id` header).
   * Unverified: anyone who can reach the endpoint can set it, so it only
   * appears in logs, as `unverifiedCallId`, when the frame cannot be
   * verified. Nothing is decided by it. Default: none.
   */
  claimedCallId?: string | undefined;
  /**
   * The function name the transport carried beside the frame (the
   * `dispatch.function` attribute, the `X-Dispatch-Function` header,
   * percent-decoded). Unverified, like `claimedCallId`; logged as
   * `unverifiedFunctionName`. Default: none.
   */
  claimedFunctionName?: string | undefined;
}

/**
 * Receives every call that is acknowledged without having completed. A
 * throw or rejection is logged, never passed on to the receiver.
 */
export type DeadLetterHandler = (
  letter: DeadLetter,
  context: DeadLetterContext,
) => void | Promise<void>;

/** What the dispatcher gives a dead-letter hook beside the letter. */
export interface DeadLetterContext {
  /** The logger the delivery's outcome went to. */
  readonly logger: Logger;
}

/** A call that will not run again, with the reason and its frame. */
export interface DeadLetter {
  readonly reason: OutcomeReason;
  readonly callId?: string;
  readonly functionName?: string;
  readonly attempt: number;
  /** The signed frame as delivered, so it can be stored or sent again. */
  readonly frame: Uint8Array;
  readonly error?: unknown;
}

export type { DispatchError };
