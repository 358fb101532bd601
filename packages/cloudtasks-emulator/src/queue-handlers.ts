import type { EmulatorContext, RpcHandler } from './emulator-context.ts';
import { paginate } from './paging.ts';
import type {
  CreateQueueRequest,
  ListRequest,
  NameRequest,
  QueueMessage,
  QueueStateName,
  UpdateQueueRequest,
} from './proto-types.ts';
import { resolveSettings } from './queue-config.ts';
import type { QueueRuntime } from './queue-runtime.ts';
import { applyQueueUpdate } from './queue-update.ts';
import {
  checkLocationName,
  checkQueueName,
  queueLocation,
} from './resource-names.ts';
import { invalidArgument } from './rpc-error.ts';

// The service's largest ListQueues page.
const MAX_QUEUE_PAGE = 9800;

/** The queue RPCs, by method name. */
export function queueHandlers(
  context: EmulatorContext,
): Record<string, RpcHandler> {
  const { store, scheduler, dispatcher } = context;
  return {
    CreateQueue: (request: CreateQueueRequest) => createQueue(context, request),
    GetQueue: (request: NameRequest) => store.queue(request.name).toMessage(),
    ListQueues: (request: ListRequest) => listQueues(context, request),
    UpdateQueue: (request: UpdateQueueRequest) => updateQueue(context, request),
    DeleteQueue(request: NameRequest) {
      const queue = store.queue(request.name);
      dispatcher.abortQueue(queue);
      store.removeQueue(queue, Date.now());
      return {};
    },
    PurgeQueue(request: NameRequest) {
      const queue = store.queue(request.name);
      const nowMs = Date.now();
      store.retireAllTasks(queue, nowMs);
      queue.purgeTimeMs = nowMs;
      return queue.toMessage();
    },
    PauseQueue: (request: NameRequest) =>
      setState(store.queue(request.name), 'PAUSED'),
    ResumeQueue(request: NameRequest) {
      const message = setState(store.queue(request.name), 'RUNNING');
      scheduler.wake();
      return message;
    },
  };
}

function createQueue(
  { store }: EmulatorContext,
  request: CreateQueueRequest,
): QueueMessage {
  const parent = checkLocationName(request.parent);
  const name = checkQueueName(request.queue?.name);
  if (queueLocation(name) !== parent) {
    throw invalidArgument(
      `Queue ${name} is not in the parent location ${parent}.`,
    );
  }
  const settings = resolveSettings(name, request.queue ?? {});
  return store.addQueue(name, settings, Date.now()).toMessage();
}

function listQueues({ store }: EmulatorContext, request: ListRequest): object {
  const parent = checkLocationName(request.parent);
  const state = parseStateFilter(request.filter ?? '');
  const queues = store
    .queuesIn(parent)
    .filter((queue) => !state || queue.state === state);
  const page = paginate(queues, (queue) => queue.name, request, MAX_QUEUE_PAGE);
  return {
    queues: page.items.map((queue) => queue.toMessage()),
    nextPageToken: page.nextPageToken,
  };
}

// The service creates the queue when UpdateQueue names a missing one.
function updateQueue(
  { store, scheduler }: EmulatorContext,
  request: UpdateQueueRequest,
): QueueMessage {
  const update = request.queue ?? {};
  const name = checkQueueName(update.name);
  const paths = request.updateMask?.paths ?? [];
  const nowMs = Date.now();
  if (!store.hasQueue(name)) {
    const defaults = resolveSettings(name, {});
    const settings = applyQueueUpdate(name, defaults, update, paths);
    return store.addQueue(name, settings, nowMs).toMessage();
  }

  const queue = store.queue(name);
  const settings = applyQueueUpdate(name, queue.settings, update, paths);
  queue.updateSettings(settings, nowMs);
  scheduler.wake();
  return queue.toMessage();
}

function setState(queue: QueueRuntime, state: QueueStateName): QueueMessage {
  queue.state = state;
  return queue.toMessage();
}

// The filter ListQueues documents: `state: PAUSED` (also `state = ...`).
function parseStateFilter(filter: string): QueueStateName | undefined {
  if (filter.trim() === '') return undefined;
  const match = /^\s*state\s*[:=]\s*"?(RUNNING|PAUSED|DISABLED)"?\s*$/.exec(
    filter,
  );
  if (match) return match[1] as QueueStateName;
  throw invalidArgument(
    `filter "${filter}" is not supported; use "state: PAUSED" or ` +
      '"state: RUNNING".',
  );
}
