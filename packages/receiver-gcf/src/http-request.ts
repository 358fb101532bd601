import type { Delivery } from '@cloud-functions-dispatch/core';
import type { Request } from '@google-cloud/functions-framework';
import { readPubSubMessage } from './pubsub-message.ts';
import { malformedRequest, type ReceivedFrame } from './received-frame.ts';

/** Cloud Tasks headers the receiver reads (Express lowercases them). */
export const CLOUD_TASKS_HEADERS = {
  taskName: 'x-cloudtasks-taskname',
  queueName: 'x-cloudtasks-queuename',
  retryCount: 'x-cloudtasks-taskretrycount',
  // Set by transport-cloudtasks (CALL_ID_HEADER, FUNCTION_HEADER); read
  // only as unverified hints for logging frames that fail verification.
  callId: 'x-dispatch-call-id',
  functionName: 'x-dispatch-function',
} as const;

/**
 * Takes the frame out of an HTTP request: a JSON body is read as a Pub/Sub
 * push body, any other body as the raw frame of a Cloud Tasks task. Throws
 * `MALFORMED_FRAME` when there is neither.
 */
export function readHttpRequest(request: Request): ReceivedFrame {
  const json = Boolean(request.is('json'));
  const source = requestSource(request, json);
  // body-parser turns an empty JSON body into `{}`: catch it before that
  // reads as a push body without a message.
  if (isEmpty(request)) {
    throw malformedRequest(source, emptyBodyProblem(request));
  }
  if (json) return readPubSubMessage(request.body, source);

  const frame = rawBytes(request) ?? new Uint8Array(0);

  const taskName = request.header(CLOUD_TASKS_HEADERS.taskName);
  const attempt = cloudTasksAttempt(request);
  const delivery: Delivery = {
    attempt,
    source,
    claimedCallId: request.header(CLOUD_TASKS_HEADERS.callId),
    claimedFunctionName: percentDecoded(
      request.header(CLOUD_TASKS_HEADERS.functionName),
    ),
  };
  if (taskName) delivery.messageId = taskName;
  return { frame, delivery };
}

/**
 * Names where a request came from, for logs: push, task or plain HTTP.
 * `json` saves parsing the Content-Type again when it is known.
 */
export function requestSource(
  request: Request,
  json: boolean = Boolean(request.is('json')),
): string {
  if (json) return 'pubsub-push';
  const fromCloudTasks =
    request.header(CLOUD_TASKS_HEADERS.taskName) !== undefined ||
    request.header(CLOUD_TASKS_HEADERS.queueName) !== undefined;
  return fromCloudTasks ? 'cloudtasks' : 'http';
}

function isEmpty(request: Request): boolean {
  const raw = rawBytes(request);
  if (raw !== undefined) return raw.length === 0;

  const body: unknown = request.body;
  if (body === undefined || body === null || body === '') return true;
  return typeof body === 'object' && Object.keys(body).length === 0;
}

// functions-framework keeps the bytes of every parsed body in `rawBody`,
// whatever parser ran; outside it, a raw parser leaves a Buffer in `body`.
function rawBytes(request: Request): Uint8Array | undefined {
  if (request.rawBody) return request.rawBody;
  return Buffer.isBuffer(request.body) ? request.body : undefined;
}

function emptyBodyProblem(request: Request): string {
  if (request.header('content-type') === undefined) {
    return (
      'the body is empty or missing, and the request has no Content-Type ' +
      '(functions-framework reads no body without one)'
    );
  }
  return 'the body is empty or missing';
}

// transport-cloudtasks percent-encodes the function name (UTF-8); a value
// that does not decode is a hint all the same.
function percentDecoded(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// Cloud Tasks counts retries from 0; the receiver counts attempts from 1.
function cloudTasksAttempt(request: Request): number {
  const retries = Number(request.header(CLOUD_TASKS_HEADERS.retryCount));
  return Number.isSafeInteger(retries) && retries >= 0 ? retries + 1 : 1;
}
