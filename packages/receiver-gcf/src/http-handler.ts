import {
  type ExecutionOutcome,
  isDispatchError,
} from '@cloud-functions-dispatch/core';
import type {
  HttpFunction,
  Request,
  Response,
} from '@google-cloud/functions-framework';
import { type Answer, answerFor, refusalAnswer } from './answer.ts';
import { authenticate } from './http-auth.ts';
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
 * with a JSON body `{ outcome, reason, callId, functionName }`. With
 * `oidc` set, a request without a valid token gets 401.
 *
 * Throws `NO_SIGNING_KEY` when no signing key is configured (see
 * `allowMissingKeys`).
 *
 * @example
 * import { http } from '@google-cloud/functions-framework';
 * import './functions.ts'; // the module that calls dispatch()
 * http('dispatch', createHttpHandler());
 */
export function createHttpHandler(options: ReceiverOptions = {}): HttpFunction {
  return httpHandlerFor(resolveReceiver(options));
}

/** The HTTP entry point of an already resolved receiver. */
export function httpHandlerFor(receiver: Receiver): HttpFunction {
  return async (request: Request, response: Response) => {
    if (request.method !== 'POST') {
      response.status(405).set('allow', 'POST').json({ error: 'POST only' });
      return;
    }

    const call = receiver.inFlight.enter();
    if (call === undefined) {
      send(response, refusalAnswer('shutting-down'), true);
      return;
    }
    try {
      const answer = await serve(receiver, request, call.abandoned);
      send(response, answer, receiver.inFlight.draining);
    } finally {
      call.leave();
    }
  };
}

async function serve(
  receiver: Receiver,
  request: Request,
  abandoned: Promise<void>,
): Promise<Answer> {
  const refusal = await authenticate(receiver, request);
  if (refusal !== undefined) return refusalAnswer(refusal);

  const received = readOrReport(request, receiver);
  if (received === undefined) return answerFor(malformedOutcome());

  const executed = executeReceived(receiver, received.frame, received.delivery);
  // Past the shutdown grace period the call is answered "retry" while its
  // body still runs: the process is about to exit.
  const outcome = await Promise.race([
    executed,
    abandoned.then(() => undefined),
  ]);
  return outcome ? answerFor(outcome) : refusalAnswer('shutting-down');
}

function send(response: Response, answer: Answer, closing: boolean): void {
  if (closing) response.set('connection', 'close');
  if (answer.status === 401) {
    response.set('www-authenticate', 'Bearer error="invalid_token"');
  }
  response.status(answer.status).json(answer.body);
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
