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

/**
 * The HTTP entry point of an already resolved receiver. Every call comes
 * through here inside functions-framework's per-request domain, where
 * each promise costs extra: a request makes none of its own until the
 * call runs, and then one.
 */
export function httpHandlerFor(receiver: Receiver): HttpFunction {
  return (request: Request, response: Response) => {
    if (request.method !== 'POST') {
      response.status(405).set('allow', 'POST').json({ error: 'POST only' });
      return undefined;
    }

    const call = receiver.inFlight.enter();
    if (call === undefined) {
      send(response, refusalAnswer('shutting-down'), true);
      return undefined;
    }
    let answered = false;
    const answer = (result: Answer) => {
      if (answered) return;
      answered = true;
      call.leave();
      send(response, result, receiver.inFlight.draining);
    };
    // Past the shutdown grace period the call is answered "retry" while
    // its body still runs: the process is about to exit.
    call.onAbandon(() => answer(refusalAnswer('shutting-down')));

    try {
      return serve(receiver, request, answer);
    } catch (error) {
      call.leave();
      throw error;
    }
  };
}

/**
 * Answers the request through `answer`, at once or when the call ran;
 * returns what is still pending, for functions-framework to watch.
 */
function serve(
  receiver: Receiver,
  request: Request,
  answer: (result: Answer) => void,
): Promise<void> | undefined {
  if (receiver.oidc === undefined) return execute(receiver, request, answer);
  return authenticate(receiver, request).then((refusal) => {
    if (refusal === undefined) return execute(receiver, request, answer);
    answer(refusalAnswer(refusal));
    return undefined;
  });
}

function execute(
  receiver: Receiver,
  request: Request,
  answer: (result: Answer) => void,
): Promise<void> | undefined {
  const received = readOrReport(request, receiver);
  if (received === undefined) {
    answer(answerFor(malformedOutcome()));
    return undefined;
  }
  const { frame, delivery } = received;
  return executeReceived(receiver, frame, delivery).then(
    (outcome) => answer(answerFor(outcome)),
    (error: unknown) => {
      // The dispatcher's execute never rejects; a hand-written one might.
      receiver.logger.error('the dispatcher failed to execute a call', {
        error,
      });
      answer(answerFor({ kind: 'retry', reason: 'failed', attempt: 1, error }));
    },
  );
}

const JSON_TYPE = 'application/json; charset=utf-8';

// Written directly rather than with Express's res.json(), which also
// hashes every body for an ETag nobody reads.
function send(response: Response, answer: Answer, closing: boolean): void {
  response.statusCode = answer.status;
  response.setHeader('content-type', JSON_TYPE);
  if (closing) response.setHeader('connection', 'close');
  if (answer.status === 401) {
    response.setHeader('www-authenticate', 'Bearer error="invalid_token"');
  }
  response.end(JSON.stringify(answer.body));
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
