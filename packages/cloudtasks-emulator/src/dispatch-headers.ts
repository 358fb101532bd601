import { shortName } from './resource-names.ts';
import type { TaskRecord } from './task-record.ts';

// Headers the service computes or reserves, whatever the task says.
const REPLACED = new Set(['host', 'content-length', 'user-agent']);
const HOP_BY_HOP = new Set(['connection', 'transfer-encoding', 'keep-alive']);
const RESERVED_PREFIXES = ['x-google-', 'x-appengine-', 'x-cloudtasks-'];

/**
 * The headers of an attempt: the task's own (less those the service
 * replaces), `User-Agent: Google-Cloud-Tasks` and the `X-CloudTasks-*`
 * set. Call before counting the attempt: the counts are of earlier ones.
 * With `withToken`, the task's own `Authorization` is left out for the
 * caller to add the minted one.
 */
export function dispatchHeaders(
  queueName: string,
  task: TaskRecord,
  withToken: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(task.http.headers)) {
    if (isTaskSettable(name, withToken)) {
      headers[name] = value;
    }
  }

  headers['User-Agent'] = 'Google-Cloud-Tasks';
  headers['X-CloudTasks-QueueName'] = shortName(queueName);
  headers['X-CloudTasks-TaskName'] = shortName(task.name);
  headers['X-CloudTasks-TaskRetryCount'] = String(task.dispatchCount);
  headers['X-CloudTasks-TaskExecutionCount'] = String(task.executionCount);
  headers['X-CloudTasks-TaskETA'] = etaSeconds(task.scheduleTimeMs);
  if (task.previousResponse !== undefined) {
    headers['X-CloudTasks-TaskPreviousResponse'] = String(
      task.previousResponse,
    );
  }
  if (task.retryReason !== undefined) {
    headers['X-CloudTasks-TaskRetryReason'] = headerSafe(task.retryReason);
  }
  if (task.http.body.length > 0 || sendsBody(task.http.method)) {
    headers['Content-Length'] = String(task.http.body.length);
  }
  return headers;
}

function isTaskSettable(name: string, hasToken: boolean): boolean {
  const lower = name.toLowerCase();
  if (REPLACED.has(lower) || HOP_BY_HOP.has(lower)) return false;
  if (hasToken && lower === 'authorization') return false;
  return !RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

function sendsBody(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH';
}

// Seconds since the epoch with microseconds, as the service sends it.
function etaSeconds(ms: number): string {
  const micros = Math.round(ms * 1000);
  const seconds = Math.floor(micros / 1e6);
  const fraction = String(micros - seconds * 1e6).padStart(6, '0');
  return `${seconds}.${fraction}`;
}

function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, ' ').slice(0, 500);
}
