import {
  createDeadlines,
  DispatchError,
  type DispatchReceipt,
  type OutgoingMessage,
  type Transport,
} from '@cloud-functions-dispatch/core';
import type { protos } from '@google-cloud/tasks';
import { createClient, EMULATOR_HOST_VARIABLE } from './client.ts';
import { createClientSetup, describeSetupFailure } from './client-setup.ts';
import {
  type CloudTasksTransportOptions,
  DEFAULT_TIMEOUT_MS,
  defaultAudience,
  validateTransportOptions,
} from './options.ts';
import { toScheduleTime } from './schedule.ts';
import { sendFailed, sendTask } from './send-task.ts';
import { dedupeTaskName } from './task-name.ts';
import {
  buildTask,
  extraHeaders,
  MAX_TASK_BYTES,
  mayExceedTaskLimit,
  type TaskShape,
  taskSize,
} from './task-request.ts';

type Task = protos.google.cloud.tasks.v2.ITask;

/** A {@link Transport} that creates Cloud Tasks HTTP tasks. */
export interface CloudTasksTransport extends Transport {
  /** The full queue path tasks go to. */
  readonly queue: string;
}

/**
 * Creates a transport that turns each call into a Cloud Tasks HTTP task:
 * a POST of the signed frame to `url`. Honours `CLOUD_TASKS_EMULATOR_HOST`.
 *
 * @example
 * const transport = createCloudTasksTransport({
 *   queue: 'projects/my-project/locations/europe-west1/queues/dispatch',
 *   url: 'https://europe-west1-my-project.cloudfunctions.net/dispatch',
 *   serviceAccountEmail: 'tasks@my-project.iam.gserviceaccount.com',
 * });
 * configureDispatch({ transport, signing: { keys } });
 */
export function createCloudTasksTransport(
  options: CloudTasksTransportOptions,
): CloudTasksTransport {
  validateTransportOptions(options);
  const { queue } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const emulatorHost =
    options.emulatorHost ?? process.env[EMULATOR_HOST_VARIABLE];
  const client = options.client ?? createClient(queue, emulatorHost);
  const setup = createClientSetup(client);
  const baseShape = resolveShape(options);
  const target = { queue, timeoutMs, deadlines: createDeadlines(timeoutMs) };
  let closing: Promise<void> | undefined;

  const flush = (): Promise<void> => target.deadlines.idle();

  const send = (message: OutgoingMessage): Promise<DispatchReceipt> => {
    if (closing) return Promise.reject(closedError(message, queue));
    let task: Task;
    try {
      task = prepareTask(message, queue, baseShape);
    } catch (error) {
      return Promise.reject(error);
    }
    // Once the client is set up, sends no longer wait a turn for it.
    if (setup.isReady()) return sendTask(client, task, message, target);
    return setup.ready().then((setupFailure) => {
      if (setupFailure) {
        const detail = describeSetupFailure(setupFailure);
        throw sendFailed(message, queue, setupFailure, detail);
      }
      return sendTask(client, task, message, target);
    });
  };

  const close = (): Promise<void> => {
    closing ??= flush().then(async () => {
      if (options.client || (await setup.failed())) return;
      await client.close().catch((cause: unknown) => {
        throw closeFailed(queue, cause);
      });
    });
    return closing;
  };

  return { name: `cloudtasks:${queue}`, queue, send, flush, close };
}

/** The transport's shape, with this call's schedule and name if any. */
function callShape(
  message: OutgoingMessage,
  queue: string,
  baseShape: TaskShape,
): TaskShape {
  const { options } = message;
  if (options.delay === undefined && options.at === undefined) {
    if (options.dedupeKey === undefined) return baseShape;
  }
  const shape: TaskShape = { ...baseShape };
  try {
    const scheduleTime = toScheduleTime(options, Date.now());
    if (scheduleTime) shape.scheduleTime = scheduleTime;
  } catch (error) {
    throw invalidCall(message, queue, (error as Error).message);
  }
  if (options.dedupeKey !== undefined) {
    shape.name = dedupeTaskName(queue, message.functionName, options.dedupeKey);
  }
  return shape;
}

function resolveShape(options: CloudTasksTransportOptions): TaskShape {
  const shape: TaskShape = {
    url: options.url,
    headers: extraHeaders(options.headers ?? {}),
  };
  if (options.serviceAccountEmail) {
    shape.oidcToken = {
      serviceAccountEmail: options.serviceAccountEmail,
      audience: options.audience ?? defaultAudience(options.url),
    };
  }
  if (options.dispatchDeadline !== undefined) {
    shape.dispatchDeadlineMs = options.dispatchDeadline;
  }
  return shape;
}

/** Validates the call's options and size; nothing is sent on failure. */
function prepareTask(
  message: OutgoingMessage,
  queue: string,
  baseShape: TaskShape,
): Task {
  const { options } = message;
  if (options.orderingKey !== undefined) {
    throw invalidCall(message, queue, 'orderingKey is not supported');
  }

  const task = buildTask(message, callShape(message, queue, baseShape));
  const size = mayExceedTaskLimit(task) ? taskSize(task) : 0;
  if (size > MAX_TASK_BYTES) {
    throw new DispatchError(
      'PAYLOAD_TOO_LARGE',
      `Cloud Tasks send of ${message.functionName} (call ${message.callId}) ` +
        `to ${queue}: the task is ${size} bytes, over the ` +
        `${MAX_TASK_BYTES}-byte task limit`,
      context(message),
    );
  }
  return task;
}

function closeFailed(queue: string, cause: unknown): DispatchError {
  return new DispatchError(
    'TRANSPORT_FAILED',
    `Cloud Tasks transport close for ${queue}: ${messageOf(cause)}`,
    { cause },
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function closedError(message: OutgoingMessage, queue: string): DispatchError {
  return new DispatchError(
    'CLOSED',
    `Cloud Tasks send of ${message.functionName} (call ${message.callId}) ` +
      `to ${queue}: the transport is closed`,
    context(message),
  );
}

function invalidCall(
  message: OutgoingMessage,
  queue: string,
  detail: string,
): DispatchError {
  return new DispatchError(
    'INVALID_OPTIONS',
    `Cloud Tasks send of ${message.functionName} (call ${message.callId}) ` +
      `to ${queue}: ${detail}`,
    context(message),
  );
}

function context(message: OutgoingMessage): {
  functionName: string;
  callId: string;
} {
  return { functionName: message.functionName, callId: message.callId };
}
