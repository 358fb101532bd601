import type {
  AttemptMessage,
  HttpMethodName,
  StatusMessage,
  TaskMessage,
  TaskViewName,
} from './proto-types.ts';
import { msToDuration, msToTimestamp } from './time.ts';

/** What the emulator sends for a task: the task's `httpRequest`. */
export interface HttpTarget {
  url: string;
  method: HttpMethodName;
  headers: Record<string, string>;
  body: Buffer;
  oidcToken: { serviceAccountEmail: string; audience: string } | undefined;
  oauthToken: { serviceAccountEmail: string; scope: string } | undefined;
}

/** One attempt as the Task message reports it; times in epoch ms. */
export interface AttemptRecord {
  scheduleTimeMs: number;
  dispatchTimeMs: number;
  responseTimeMs: number | undefined;
  responseStatus: StatusMessage | undefined;
}

/** A live task in a queue. */
export interface TaskRecord {
  readonly name: string;
  readonly http: HttpTarget;
  readonly createTimeMs: number;
  readonly dispatchDeadlineMs: number;
  /** When the next attempt is due, epoch ms. */
  scheduleTimeMs: number;
  dispatchCount: number;
  responseCount: number;
  /** Responses that were not 5xx: the `TaskExecutionCount` header. */
  executionCount: number;
  firstAttempt: AttemptRecord | undefined;
  lastAttempt: AttemptRecord | undefined;
  /** HTTP status of the previous attempt, when it had one. */
  previousResponse: number | undefined;
  /** Why the previous attempt failed, for the `TaskRetryReason` header. */
  retryReason: string | undefined;
  /** Bumped on every reschedule, so stale heap entries can be skipped. */
  version: number;
}

/**
 * The Task message for a response. BASIC (the default) leaves out the
 * body; FULL includes it.
 */
export function taskToMessage(
  task: TaskRecord,
  view: TaskViewName | undefined,
): TaskMessage {
  const full = view === 'FULL';
  const { http } = task;
  return {
    name: task.name,
    httpRequest: {
      url: http.url,
      httpMethod: http.method,
      headers: http.headers,
      ...(full ? { body: http.body } : {}),
      ...(http.oidcToken ? { oidcToken: http.oidcToken } : {}),
      ...(http.oauthToken ? { oauthToken: http.oauthToken } : {}),
    },
    scheduleTime: msToTimestamp(task.scheduleTimeMs),
    createTime: msToTimestamp(Math.floor(task.createTimeMs / 1000) * 1000),
    dispatchDeadline: msToDuration(task.dispatchDeadlineMs),
    dispatchCount: task.dispatchCount,
    responseCount: task.responseCount,
    firstAttempt: task.firstAttempt && {
      dispatchTime: msToTimestamp(task.firstAttempt.dispatchTimeMs),
    },
    lastAttempt: task.lastAttempt && attemptToMessage(task.lastAttempt),
    view: full ? 'FULL' : 'BASIC',
  };
}

function attemptToMessage(attempt: AttemptRecord): AttemptMessage {
  const message: AttemptMessage = {
    scheduleTime: msToTimestamp(attempt.scheduleTimeMs),
    dispatchTime: msToTimestamp(attempt.dispatchTimeMs),
  };
  if (attempt.responseTimeMs !== undefined) {
    message.responseTime = msToTimestamp(attempt.responseTimeMs);
  }
  if (attempt.responseStatus) message.responseStatus = attempt.responseStatus;
  return message;
}
