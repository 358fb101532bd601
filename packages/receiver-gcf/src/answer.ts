import type { ExecutionOutcome } from '@cloud-functions-dispatch/core';

/**
 * Why the receiver turned a request away before executing it: an OIDC
 * token was missing or refused (401), its certificates could not be read
 * (503), or the worker is shutting down (503). The service retries each.
 */
export type RefusalReason =
  | 'unauthenticated'
  | 'certs-unavailable'
  | 'shutting-down';

/** The JSON body the HTTP handler answers with. */
export interface AnswerBody {
  outcome: ExecutionOutcome['kind'];
  reason: ExecutionOutcome['reason'] | RefusalReason;
  callId?: string;
  functionName?: string;
}

/** An HTTP status and body for one outcome. */
export interface Answer {
  status: number;
  body: AnswerBody;
}

/**
 * Maps an outcome to the answer that makes Pub/Sub and Cloud Tasks do the
 * right thing: 2xx acknowledges (`done`, and `drop` because retrying
 * cannot help), 500 asks for redelivery (`retry`).
 */
export function answerFor(outcome: ExecutionOutcome): Answer {
  const body: AnswerBody = { outcome: outcome.kind, reason: outcome.reason };
  if (outcome.callId !== undefined) body.callId = outcome.callId;
  if (outcome.functionName !== undefined) {
    body.functionName = outcome.functionName;
  }

  const status = outcome.kind === 'retry' ? 500 : 200;
  return { status, body };
}

/** The answer to a request turned away before it was executed. */
export function refusalAnswer(reason: RefusalReason): Answer {
  const status = reason === 'unauthenticated' ? 401 : 503;
  return { status, body: { outcome: 'retry', reason } };
}
