import type { ExecutionOutcome } from '@cloud-functions-dispatch/core';

/** The JSON body the HTTP handler answers with. */
export interface AnswerBody {
  outcome: ExecutionOutcome['kind'];
  reason: ExecutionOutcome['reason'];
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
