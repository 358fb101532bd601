import {
  type ExecutionOutcome,
  isDispatchError,
} from '@cloud-functions-dispatch/core';
import type {
  HttpFunction,
  Request,
  Response,
} from '@google-cloud/functions-framework';
import { answerFor } from './answer.ts';
import { readHttpRequest } from './http-request.ts';
import type { ReceivedFrame } from './received-frame.ts';
import {
  executeReceived,
  type Receiver,
  type ReceiverOptions,
  resolveReceiver,
} from './receiver-options.ts';

/**
 * Creates the HTTP entry point. It accepts a Cloud Tasks request (the raw
 * frame as the body, with any non-JSON `Content-Type`; the attempt is
 * `X-CloudTasks-TaskRetryCount` + 1) and a Pub/Sub push body (JSON). It
 * answers 200 when the call ran or was dropped (a bad signature, a
 * malformed or expired frame, a `PermanentError`, attempts exhausted:
 * retrying cannot help) and 500 when it should be delivered again, each
 * with a JSON body `{ outcome, reason, callId, functionName }`.
 *
 * @example
 * import { http } from '@google-cloud/functions-framework';
 * import './functions.ts'; // the module that calls dispatch()
 * http('dispatch', createHttpHandler());
 */
export function createHttpHandler(options: ReceiverOptions = {}): HttpFunction {
  const receiver = resolveReceiver(options);

  return async (request: Request, response: Response) => {
    if (request.method !== 'POST') {
      response.status(405).set('allow', 'POST').json({ error: 'POST only' });
      return;
    }

    const received = readOrReport(request, receiver);
    const outcome = received
      ? await executeReceived(receiver, received.frame, received.delivery)
      : malformedOutcome();

    const answer = answerFor(outcome);
    response.status(answer.status).json(answer.body);
  };
}

function readOrReport(
  request: Request,
  receiver: Receiver,
): ReceivedFrame | undefined {
  try {
    return readHttpRequest(request);
  } catch (error) {
    if (!isDispatchError(error, 'MALFORMED_FRAME')) throw error;

    receiver.logger.error(error.message, {
      reason: 'malformed',
      security: true,
      traceparent: request.header('traceparent'),
      error,
    });
    return undefined;
  }
}

function malformedOutcome(): ExecutionOutcome {
  return { kind: 'drop', reason: 'malformed', attempt: 1 };
}
