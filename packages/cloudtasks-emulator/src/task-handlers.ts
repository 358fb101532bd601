import type { EmulatorContext, RpcHandler } from './emulator-context.ts';
import { paginate } from './paging.ts';
import type {
  CreateTaskRequest,
  ListRequest,
  NameRequest,
  TaskMessage,
  TaskNameRequest,
} from './proto-types.ts';
import type { QueueRuntime } from './queue-runtime.ts';
import { generateTaskId, parseTaskName } from './resource-names.ts';
import { failedPrecondition, invalidArgument } from './rpc-error.ts';
import { taskToMessage } from './task-record.ts';
import { createTaskRecord } from './task-request.ts';

// The service's largest ListTasks page.
const MAX_TASK_PAGE = 1000;

/** The task RPCs, by method name. */
export function taskHandlers(
  context: EmulatorContext,
): Record<string, RpcHandler> {
  const { store } = context;
  return {
    CreateTask: (request: CreateTaskRequest) => createTask(context, request),
    GetTask(request: TaskNameRequest) {
      const [, task] = store.task(request.name, Date.now());
      return taskToMessage(task, request.responseView);
    },
    ListTasks: (request: ListRequest) => listTasks(context, request),
    DeleteTask(request: NameRequest) {
      const nowMs = Date.now();
      const [queue, task] = store.task(request.name, nowMs);
      store.retireTask(queue, task, nowMs);
      return {};
    },
    RunTask: (request: TaskNameRequest) => runTask(context, request),
  };
}

function createTask(
  context: EmulatorContext,
  request: CreateTaskRequest,
): TaskMessage {
  const queue = context.store.queue(request.parent);
  const message = request.task;
  if (!message) {
    throw invalidArgument(`CreateTask in ${queue.name}: task is required.`);
  }
  const nowMs = Date.now();
  const name = message.name
    ? checkedTaskName(context, queue, message.name, nowMs)
    : unusedTaskName(queue);

  const task = createTaskRecord(name, message, context.taskLimits, nowMs);
  queue.addTask(task);
  context.scheduler.wake();
  return taskToMessage(task, request.responseView);
}

function listTasks({ store }: EmulatorContext, request: ListRequest): object {
  const queue = store.queue(request.parent);
  const tasks = [...queue.tasks.values()].sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  const page = paginate(tasks, (task) => task.name, request, MAX_TASK_PAGE);
  return {
    tasks: page.items.map((task) => taskToMessage(task, request.responseView)),
    nextPageToken: page.nextPageToken,
  };
}

// Runs the task now whatever its schedule, the queue's limits or state,
// like the service; the response shows it just dispatched.
function runTask(
  { store, dispatcher }: EmulatorContext,
  request: TaskNameRequest,
): TaskMessage {
  const [queue, task] = store.task(request.name, Date.now());
  if (queue.inFlight.has(task)) {
    throw failedPrecondition(
      `Task ${task.name} is being dispatched; RunTask can run it once ` +
        'the current attempt has finished.',
    );
  }
  dispatcher.start(queue, task);
  return taskToMessage(task, request.responseView);
}

function checkedTaskName(
  context: EmulatorContext,
  queue: QueueRuntime,
  name: string,
  nowMs: number,
): string {
  const { queueName } = parseTaskName(name);
  if (queueName !== queue.name) {
    throw invalidArgument(
      `The queue name from request ('${queue.name}') must be the same as ` +
        `the queue name in the named task ('${queueName}').`,
    );
  }
  context.store.checkTaskNameFree(queue, name, nowMs);
  return name;
}

function unusedTaskName(queue: QueueRuntime): string {
  for (;;) {
    const name = `${queue.name}/tasks/${generateTaskId()}`;
    if (!queue.tasks.has(name)) return name;
  }
}
