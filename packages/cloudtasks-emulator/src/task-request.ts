import { status } from '@grpc/grpc-js';
import type {
  HttpMethodName,
  HttpRequestMessage,
  TaskMessage,
} from './proto-types.ts';
import { invalidArgument, RpcError } from './rpc-error.ts';
import type { HttpTarget, TaskRecord } from './task-record.ts';
import { durationToMs, timestampToMs } from './time.ts';

/** Limits CreateTask enforces, from the service's documented quotas. */
export interface TaskLimits {
  /** Shortest accepted `dispatchDeadline`, ms (the service: 15 s). */
  minDispatchDeadlineMs: number;
}

const MAX_DEADLINE_MS = 30 * 60_000;
const DEFAULT_DEADLINE_MS = 10 * 60_000;
const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3_600_000;
const MAX_TASK_BYTES = 1024 * 1024;
const MAX_HEADER_BYTES = 80 * 1024;
const MAX_URL_LENGTH = 2083;
const BODY_METHODS = new Set<HttpMethodName>(['POST', 'PUT', 'PATCH']);

/**
 * Validates CreateTask's `task` and builds the record the queue keeps.
 * Throws INVALID_ARGUMENT (or UNIMPLEMENTED for App Engine tasks) naming
 * the task.
 */
export function createTaskRecord(
  name: string,
  message: TaskMessage,
  limits: TaskLimits,
  nowMs: number,
): TaskRecord {
  const http = readHttpTarget(name, message);
  const scheduleTimeMs = timestampToMs(message.scheduleTime) ?? nowMs;
  const deadlineMs =
    durationToMs(message.dispatchDeadline) ?? DEFAULT_DEADLINE_MS;

  if (scheduleTimeMs > nowMs + MAX_SCHEDULE_AHEAD_MS) {
    throw invalidArgument(
      `Task ${name}: scheduleTime must be at most 30 days in the future.`,
    );
  }
  if (
    deadlineMs < limits.minDispatchDeadlineMs ||
    deadlineMs > MAX_DEADLINE_MS
  ) {
    throw invalidArgument(
      `Task ${name}: dispatchDeadline must be between ` +
        `${limits.minDispatchDeadlineMs / 1000}s and 30m.`,
    );
  }

  return {
    name,
    http,
    createTimeMs: nowMs,
    dispatchDeadlineMs: deadlineMs,
    scheduleTimeMs: Math.max(scheduleTimeMs, nowMs),
    dispatchCount: 0,
    responseCount: 0,
    executionCount: 0,
    firstAttempt: undefined,
    lastAttempt: undefined,
    previousResponse: undefined,
    retryReason: undefined,
    version: 0,
  };
}

function readHttpTarget(name: string, message: TaskMessage): HttpTarget {
  if (message.appEngineHttpRequest) {
    throw new RpcError(
      status.UNIMPLEMENTED,
      `Task ${name}: App Engine tasks are not supported by the emulator; ` +
        'use httpRequest.',
    );
  }
  const request = message.httpRequest;
  if (!request) {
    throw invalidArgument(`Task ${name}: httpRequest is required.`);
  }

  const method = readMethod(request);
  const body = request.body ?? Buffer.alloc(0);
  const headers = { ...request.headers };
  checkUrl(name, request.url);
  checkSizes(name, request.url ?? '', headers, body);
  if (body.length > 0 && !BODY_METHODS.has(method)) {
    throw invalidArgument(
      `Task ${name}: a body is allowed only with POST, PUT or PATCH, ` +
        `not ${method}.`,
    );
  }

  return {
    url: request.url ?? '',
    method,
    headers,
    body,
    oidcToken: request.oidcToken
      ? {
          serviceAccountEmail: request.oidcToken.serviceAccountEmail ?? '',
          audience: request.oidcToken.audience ?? '',
        }
      : undefined,
    oauthToken: request.oauthToken
      ? {
          serviceAccountEmail: request.oauthToken.serviceAccountEmail ?? '',
          scope: request.oauthToken.scope ?? '',
        }
      : undefined,
  };
}

function readMethod(request: HttpRequestMessage): HttpMethodName {
  const method = request.httpMethod;
  return !method || method === 'HTTP_METHOD_UNSPECIFIED' ? 'POST' : method;
}

function checkUrl(name: string, url: string | undefined): void {
  if (!url) throw invalidArgument(`Task ${name}: HttpRequest.url is required.`);
  if (!/^https?:\/\//.test(url)) {
    throw invalidArgument(
      `Task ${name}: HttpRequest.url must start with 'http://' or 'https://'.`,
    );
  }
  if (url.length > MAX_URL_LENGTH || !URL.canParse(url)) {
    throw invalidArgument(
      `Task ${name}: HttpRequest.url "${url}" is not a valid URL of at ` +
        `most ${MAX_URL_LENGTH} characters.`,
    );
  }
}

function checkSizes(
  name: string,
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): void {
  let headerBytes = 0;
  for (const [key, value] of Object.entries(headers)) {
    headerBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (headerBytes >= MAX_HEADER_BYTES) {
    throw invalidArgument(`Task ${name}: headers must be less than 80KB.`);
  }
  const taskBytes = body.length + headerBytes + Buffer.byteLength(url);
  if (taskBytes > MAX_TASK_BYTES) {
    throw invalidArgument(
      `Task ${name}: task size ${taskBytes} bytes exceeds the maximum of ` +
        `${MAX_TASK_BYTES} bytes.`,
    );
  }
}
