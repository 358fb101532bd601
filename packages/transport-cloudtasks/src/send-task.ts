import {
  type Deadlines,
  DispatchError,
  type DispatchReceipt,
  type OutgoingMessage,
} from '@cloud-functions-dispatch/core';
import type { CloudTasksClient, protos } from '@google-cloud/tasks';
import { Status } from 'google-gax';

type Task = protos.google.cloud.tasks.v2.ITask;

/** Where a task goes and how long its creation may take. */
export interface SendTarget {
  readonly queue: string;
  readonly timeoutMs: number;
  /** Bounds every createTask with one timer, even one that never settles. */
  readonly deadlines: Deadlines;
}

/**
 * Creates one task: one promise per call, settled by the client's
 * callback or by the deadline, whichever comes first. A task named by a
 * dedupe key that already exists resolves as `deduplicated`.
 */
export function sendTask(
  client: CloudTasksClient,
  task: Task,
  message: OutgoingMessage,
  target: SendTarget,
): Promise<DispatchReceipt> {
  const { queue, timeoutMs, deadlines } = target;
  const { callId } = message;
  return new Promise((resolve, reject) => {
    const watched = deadlines.watch(() => {
      const error = new Error(`no answer within ${timeoutMs} ms`);
      reject(sendFailed(message, queue, error));
    });
    const created = (error: unknown, response?: Task | null) => {
      if (!deadlines.settle(watched)) return;
      if (!error) {
        resolve({ id: response?.name ?? '', callId, deduplicated: false });
      } else if (task.name && isAlreadyExists(error)) {
        resolve({ id: task.name, callId, deduplicated: true });
      } else reject(sendFailed(message, queue, error));
    };
    try {
      client.createTask(
        { parent: queue, task },
        { timeout: timeoutMs },
        created,
      );
    } catch (error) {
      created(error);
    }
  });
}

function isAlreadyExists(error: unknown): boolean {
  return (error as { code?: unknown }).code === Status.ALREADY_EXISTS;
}

/** `TRANSPORT_FAILED` for a createTask that failed or got no answer. */
export function sendFailed(
  message: OutgoingMessage,
  queue: string,
  error: unknown,
  detail: string = error instanceof Error ? error.message : String(error),
): DispatchError {
  return new DispatchError(
    'TRANSPORT_FAILED',
    `Cloud Tasks createTask in ${queue} failed for ${message.functionName} ` +
      `(call ${message.callId}): ${detail}`,
    {
      functionName: message.functionName,
      callId: message.callId,
      cause: error,
    },
  );
}
