import type { LogFields, Logger } from './logger.ts';
import type {
  DeadLetter,
  DeadLetterHandler,
  Delivery,
  ExecutionOutcome,
  OutcomeReason,
} from './outcome.ts';
import type { Envelope } from './wire/index.ts';

// Frames refused for these reasons may be an attack, not a bug.
const SECURITY_REASONS = new Set<OutcomeReason>([
  'bad-signature',
  'malformed',
  'too-large',
]);

// Retries that signal a deployment problem rather than a flaky body.
const LOUD_RETRIES = new Set<OutcomeReason>([
  'unknown-function',
  'no-signing-key',
  'idempotency-failed',
]);

// Claimed ids come from whoever sent the request: keep a forged one from
// filling the log line.
const MAX_CLAIM_LENGTH = 200;

/** The frame an outcome answers, and what is known about it. */
export interface OutcomeSubject {
  readonly frame: Uint8Array;
  readonly delivery: Delivery;
  /** The verified envelope; undefined when the frame could not be opened. */
  readonly envelope: Envelope | undefined;
}

/** Logs one outcome: info when done, warn on retry, error on drop. */
export function reportOutcome(
  logger: Logger,
  outcome: ExecutionOutcome,
  subject: OutcomeSubject,
): void {
  const fields = subjectFields(outcome, subject);
  fields.messageId = subject.delivery.messageId;
  fields.source = subject.delivery.source;
  if (SECURITY_REASONS.has(outcome.reason)) {
    fields.security = true;
    fields.frameBytes = subject.frame.byteLength;
  }

  const message = `${callName(outcome, fields)} ${describe(outcome)}`;
  if (outcome.kind === 'done') logger.info(message, fields);
  else if (outcome.kind === 'retry' && !LOUD_RETRIES.has(outcome.reason)) {
    logger.warn(message, fields);
  } else if (outcome.reason === 'expired') logger.warn(message, fields);
  else logger.error(message, fields);
}

function callName(outcome: ExecutionOutcome, fields: LogFields): string {
  if (outcome.functionName !== undefined) return outcome.functionName;
  const claimed = fields.unverifiedFunctionName;
  // Quoted, so a forged name cannot pass for a verified one.
  return claimed === undefined
    ? 'a call'
    : `a call claiming to be ${JSON.stringify(claimed)}`;
}

function describe(outcome: ExecutionOutcome): string {
  if (outcome.kind === 'done') {
    return outcome.reason === 'duplicate' ? 'already completed' : 'completed';
  }
  if (outcome.kind === 'retry') return `will be retried (${outcome.reason})`;
  return `dropped (${outcome.reason})`;
}

/**
 * The call's ids and trace from a verified envelope, or, when the frame
 * could not be opened, what the transport claimed under unverified names.
 */
function subjectFields(
  outcome: ExecutionOutcome,
  subject: OutcomeSubject,
): LogFields {
  const fields: LogFields = {
    callId: outcome.callId,
    functionName: outcome.functionName,
    attempt: outcome.attempt,
    reason: outcome.reason,
  };
  if (outcome.error !== undefined) fields.error = outcome.error;

  const { envelope, delivery } = subject;
  if (envelope !== undefined) {
    if (envelope.traceparent !== undefined) {
      fields.traceparent = envelope.traceparent;
    }
    if (envelope.tracestate !== undefined) {
      fields.tracestate = envelope.tracestate;
    }
    return fields;
  }

  const callId = claim(delivery.claimedCallId);
  const functionName = claim(delivery.claimedFunctionName);
  if (callId !== undefined) fields.unverifiedCallId = callId;
  if (functionName !== undefined) fields.unverifiedFunctionName = functionName;
  return fields;
}

function claim(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length <= MAX_CLAIM_LENGTH) return value;
  return `${value.slice(0, MAX_CLAIM_LENGTH)}…`;
}

/**
 * Gives a dropped call to the dead-letter hook. A failing hook is logged,
 * never thrown: the delivery is answered either way.
 */
export async function handOver(
  deadLetter: DeadLetterHandler | undefined,
  logger: Logger,
  outcome: ExecutionOutcome,
  subject: OutcomeSubject,
): Promise<void> {
  if (deadLetter === undefined) return;
  try {
    await deadLetter(toDeadLetter(outcome, subject.frame), { logger });
  } catch (error) {
    const fields = subjectFields(outcome, subject);
    fields.error = error;
    logger.error('dead-letter hook failed', fields);
  }
}

function toDeadLetter(
  outcome: ExecutionOutcome,
  frame: Uint8Array,
): DeadLetter {
  const letter: {
    -readonly [K in keyof DeadLetter]: DeadLetter[K];
  } = { reason: outcome.reason, attempt: outcome.attempt, frame };
  if (outcome.callId !== undefined) letter.callId = outcome.callId;
  if (outcome.functionName !== undefined) {
    letter.functionName = outcome.functionName;
  }
  if (outcome.error !== undefined) letter.error = outcome.error;
  return letter;
}
