import { randomInt } from 'node:crypto';
import { invalidArgument } from './rpc-error.ts';

// Character sets from the v2 protos: project ids may hold letters, digits,
// hyphens, colons and periods; queue ids letters, digits and hyphens (at
// most 100); task ids also underscores (at most 500).
const LOCATION = 'projects/[A-Za-z0-9:.-]+/locations/[A-Za-z0-9-]+';
const LOCATION_PATTERN = new RegExp(`^${LOCATION}$`);
const QUEUE_PATTERN = new RegExp(`^(${LOCATION})/queues/[A-Za-z0-9-]{1,100}$`);
const TASK_ID_PATTERN = /^[A-Za-z0-9_-]{1,500}$/;

/** The last path segment: the id the service puts in dispatch headers. */
export function shortName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Throws INVALID_ARGUMENT unless `parent` is a location name. */
export function checkLocationName(parent: string | undefined): string {
  if (parent && LOCATION_PATTERN.test(parent)) return parent;
  throw invalidArgument(
    `Parent "${parent ?? ''}" must be formatted: ` +
      '"projects/<PROJECT_ID>/locations/<LOCATION_ID>".',
  );
}

/** Throws INVALID_ARGUMENT unless `name` is a queue name. */
export function checkQueueName(name: string | undefined): string {
  if (name && QUEUE_PATTERN.test(name)) return name;
  throw invalidArgument(
    `Queue name "${name ?? ''}" must be formatted: ` +
      '"projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/<QUEUE_ID>".',
  );
}

/** The location a queue belongs to. */
export function queueLocation(queueName: string): string {
  return queueName.slice(0, queueName.lastIndexOf('/queues/'));
}

/**
 * Splits a task name into its queue and id, throwing INVALID_ARGUMENT
 * when it is malformed.
 */
export function parseTaskName(name: string | undefined): {
  queueName: string;
  taskId: string;
} {
  const at = name?.lastIndexOf('/tasks/') ?? -1;
  const queueName = name?.slice(0, Math.max(at, 0)) ?? '';
  const taskId = name?.slice(at + '/tasks/'.length) ?? '';
  if (name && at > 0 && QUEUE_PATTERN.test(queueName)) {
    checkTaskId(taskId);
    return { queueName, taskId };
  }
  throw invalidArgument(
    `Task name "${name ?? ''}" must be formatted: "projects/<PROJECT_ID>/` +
      'locations/<LOCATION_ID>/queues/<QUEUE_ID>/tasks/<TASK_ID>".',
  );
}

function checkTaskId(taskId: string): void {
  if (TASK_ID_PATTERN.test(taskId)) return;
  throw invalidArgument(
    `Task ID "${taskId}" can contain only letters ([A-Za-z]), numbers ` +
      '([0-9]), hyphens (-), or underscores (_). Task ID must be between 1 ' +
      'and 500 characters.',
  );
}

/** A numeric id like the ones the service generates for unnamed tasks. */
export function generateTaskId(): string {
  let id = String(randomInt(1, 10));
  for (let index = 0; index < 3; index++) {
    id += String(randomInt(0, 1e6)).padStart(6, '0');
  }
  return id;
}
