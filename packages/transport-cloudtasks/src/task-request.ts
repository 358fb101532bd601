import type { OutgoingMessage } from '@cloud-functions-dispatch/core';
import type { protos } from '@google-cloud/tasks';
import { type Timestamp, toSecondsAndNanos } from './schedule.ts';

/** Header carrying the function name, percent-encoded (UTF-8). */
export const FUNCTION_HEADER = 'X-Dispatch-Function';

/** Header carrying the call id. */
export const CALL_ID_HEADER = 'X-Dispatch-Call-Id';

/**
 * Cloud Tasks' documented task size limit is "1 MB" without saying which
 * megabyte; the smaller reading, 10^6 bytes, is the safe one.
 */
export const MAX_TASK_BYTES = 1_000_000;

/** Everything that shapes one task, resolved by the transport. */
export interface TaskShape {
  url: string;
  /** Extra headers, without those the transport sets itself. */
  headers: Readonly<Record<string, string>>;
  oidcToken?: { serviceAccountEmail: string; audience: string };
  dispatchDeadlineMs?: number;
  scheduleTime?: Timestamp;
  name?: string;
}

/** Builds the HTTP task that carries one frame. */
export function buildTask(
  message: OutgoingMessage,
  shape: TaskShape,
): protos.google.cloud.tasks.v2.ITask {
  const httpRequest: protos.google.cloud.tasks.v2.IHttpRequest = {
    url: shape.url,
    httpMethod: 'POST',
    headers: taskHeaders(message, shape.headers),
    body: Buffer.from(
      message.frame.buffer,
      message.frame.byteOffset,
      message.frame.byteLength,
    ),
  };
  if (shape.oidcToken) httpRequest.oidcToken = shape.oidcToken;

  const task: protos.google.cloud.tasks.v2.ITask = { httpRequest };
  if (shape.name !== undefined) task.name = shape.name;
  if (shape.scheduleTime) task.scheduleTime = shape.scheduleTime;
  if (shape.dispatchDeadlineMs !== undefined) {
    task.dispatchDeadline = toSecondsAndNanos(shape.dispatchDeadlineMs);
  }
  return task;
}

/**
 * False when a task is surely within {@link MAX_TASK_BYTES}: a UTF-16
 * unit takes at most 3 bytes of UTF-8, so most tasks are checked without
 * encoding anything, and only those near the limit are measured.
 */
export function mayExceedTaskLimit(
  task: protos.google.cloud.tasks.v2.ITask,
): boolean {
  const request = task.httpRequest ?? {};
  let units = (request.url ?? '').length;
  for (const name in request.headers) {
    units += name.length + (request.headers[name]?.length ?? 0);
  }
  return (request.body?.length ?? 0) + 3 * units > MAX_TASK_BYTES;
}

/**
 * The bytes a task counts against {@link MAX_TASK_BYTES}: body, header
 * names and values (UTF-8) and the URL.
 */
export function taskSize(task: protos.google.cloud.tasks.v2.ITask): number {
  const request = task.httpRequest ?? {};
  let size = request.body?.length ?? 0;
  size += Buffer.byteLength(request.url ?? '');
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  return size;
}

const OWN_HEADERS = new Set(
  ['content-type', FUNCTION_HEADER, CALL_ID_HEADER].map((name) =>
    name.toLowerCase(),
  ),
);

/** `headers` without those the transport sets itself (any case). */
export function extraHeaders(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const kept = Object.entries(headers).filter(
    ([name]) => !OWN_HEADERS.has(name.toLowerCase()),
  );
  return Object.fromEntries(kept);
}

function taskHeaders(
  message: OutgoingMessage,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    ...extra,
    // The service sets no Content-Type, and functions-framework drops a
    // body it cannot name.
    'Content-Type': 'application/octet-stream',
    [FUNCTION_HEADER]: encodeURIComponent(message.functionName),
    [CALL_ID_HEADER]: message.callId,
  };
}
