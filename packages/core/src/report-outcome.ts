import type { LogFields, Logger } from './logger.ts';
import type {
  DeadLetter,
  DeadLetterHandler,
  Delivery,
  ExecutionOutcome,
  OutcomeReason,
} from './outcome.ts';

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

/** Logs one outcome: info when done, warn on retry, error on drop. */
export function reportOutcome(
  logger: Logger,
  outcome: ExecutionOutcome,
  frame: Uint8Array,
  delivery: Delivery,
): void {
  const fields = outcomeFields(outcome);
  fields.messageId = delivery.messageId;
  fields.source = delivery.source;
  if (SECURITY_REASONS.has(outcome.reason)) {
    fields.security = true;
    fields.frameBytes = frame.byteLength;
  }

  const name = outcome.functionName ?? 'a call';
  const message = `${name} ${describe(outcome)}`;
  if (outcome.kind === 'done') logger.info(message, fields);
  else if (outcome.kind === 'retry' && !LOUD_RETRIES.has(outcome.reason)) {
    logger.warn(message, fields);
  } else if (outcome.reason === 'expired') logger.warn(message, fields);
  else logger.error(message, fields);
}

function describe(outcome: ExecutionOutcome): string {
  if (outcome.kind === 'done') {
    return outcome.reason === 'duplicate' ? 'already completed' : 'completed';
  }
  if (outcome.kind === 'retry') return `will be retried (${outcome.reason})`;
  return `dropped (${outcome.reason})`;
}

function outcomeFields(outcome: ExecutionOutcome): LogFields {
  const fields: LogFields = {
    callId: outcome.callId,
    functionName: outcome.functionName,
    attempt: outcome.attempt,
    reason: outcome.reason,
  };
  if (outcome.error !== undefined) fields.error = outcome.error;
  return fields;
}

/**
 * Gives a dropped call to the dead-letter hook. A failing hook is logged,
 * never thrown: the delivery is answered either way.
 */
export async function handOver(
  deadLetter: DeadLetterHandler | undefined,
  logger: Logger,
  outcome: ExecutionOutcome,
  frame: Uint8Array,
): Promise<void> {
  if (deadLetter === undefined) return;
  try {
    await deadLetter(toDeadLetter(outcome, frame), { logger });
  } catch (error) {
    const fields = outcomeFields(outcome);
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
