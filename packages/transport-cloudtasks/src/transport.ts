import {
  DispatchError,
  type DispatchReceipt,
  type OutgoingMessage,
  type Transport,
} from '@cloud-functions-dispatch/core';
import type { CloudTasksClient, protos } from '@google-cloud/tasks';
import { Status } from 'google-gax';
import { createClient, EMULATOR_HOST_VARIABLE } from './client.ts';
import { createClientSetup, describeSetupFailure } from './client-setup.ts';
import {
  type CloudTasksTransportOptions,
  DEFAULT_TIMEOUT_MS,
  defaultAudience,
  validateTransportOptions,
} from './options.ts';
import { toScheduleTime } from './schedule.ts';
import { dedupeTaskName } from './task-name.ts';
import {
  buildTask,
  MAX_TASK_BYTES,
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
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  const flush = async (): Promise<void> => {
    await Promise.allSettled([...inFlight]);
  };

  const send = async (message: OutgoingMessage): Promise<DispatchReceipt> => {
    if (closing) throw closedError(message, queue);
    const task = prepareTask(message, queue, baseShape);
    const setupFailure = await setup.ready();
    if (setupFailure) {
      const detail = describeSetupFailure(setupFailure);
      throw sendFailed(message, queue, setupFailure, detail);
    }

    const pending = createTask(client, task, message, { queue, timeoutMs });
    inFlight.add(pending);
    try {
      return await pending;
    } finally {
      inFlight.delete(pending);
    }
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

function resolveShape(options: CloudTasksTransportOptions): TaskShape {
  const shape: TaskShape = { url: options.url, headers: options.headers ?? {} };
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

  const task = buildTask(message, shape);
  const size = taskSize(task);
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

async function createTask(
  client: CloudTasksClient,
  task: Task,
  message: OutgoingMessage,
  target: { queue: string; timeoutMs: number },
): Promise<DispatchReceipt> {
  const { queue, timeoutMs } = target;
  const callId = message.callId;
  try {
    const call = client.createTask(
      { parent: queue, task },
      { timeout: timeoutMs },
    );
    const [created] = await withTimeout(call, timeoutMs);
    return { id: created.name ?? '', callId, deduplicated: false };
  } catch (error) {
    if (task.name && isAlreadyExists(error)) {
      return { id: task.name, callId, deduplicated: true };
    }
    throw sendFailed(message, queue, error);
  }
}

/** Rejects after `ms` even when the client itself never settles. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function isAlreadyExists(error: unknown): boolean {
  return (error as { code?: unknown }).code === Status.ALREADY_EXISTS;
}

function sendFailed(
  message: OutgoingMessage,
  queue: string,
  error: unknown,
  detail = messageOf(error),
): DispatchError {
  return new DispatchError(
    'TRANSPORT_FAILED',
    `Cloud Tasks createTask in ${queue} failed for ${message.functionName} ` +
      `(call ${message.callId}): ${detail}`,
    { ...context(message), cause: error },
  );
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
