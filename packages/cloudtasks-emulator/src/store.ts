import { NameReservations } from './name-reservations.ts';
import type { QueueSettings } from './queue-config.ts';
import { QueueRuntime } from './queue-runtime.ts';
import {
  checkQueueName,
  parseTaskName,
  queueLocation,
} from './resource-names.ts';
import { alreadyExists, failedPrecondition, notFound } from './rpc-error.ts';
import type { TaskRecord } from './task-record.ts';

/** How long names stay taken after their resource is gone, ms. */
export interface ReuseWindows {
  taskNameReuseWindowMs: number;
  queueNameReuseWindowMs: number;
}

/** Every queue and task the emulator holds, in memory. */
export class EmulatorStore {
  readonly #queues = new Map<string, QueueRuntime>();
  readonly #taskNames: NameReservations;
  readonly #queueNames: NameReservations;

  constructor(windows: ReuseWindows) {
    this.#taskNames = new NameReservations(windows.taskNameReuseWindowMs);
    this.#queueNames = new NameReservations(windows.queueNameReuseWindowMs);
  }

  /** Every queue, in no particular order. */
  queues(): IterableIterator<QueueRuntime> {
    return this.#queues.values();
  }

  /** The queues of one location, sorted by name. */
  queuesIn(location: string): QueueRuntime[] {
    return [...this.#queues.values()]
      .filter((queue) => queueLocation(queue.name) === location)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** The queue called `name`; NOT_FOUND when there is none. */
  queue(name: string | undefined): QueueRuntime {
    const queue = this.#queues.get(checkQueueName(name));
    if (queue) return queue;
    throw notFound(`Queue ${name} does not exist.`);
  }

  /** Whether a queue called `name` exists. */
  hasQueue(name: string): boolean {
    return this.#queues.has(name);
  }

  /** Adds a queue; ALREADY_EXISTS or, right after a delete, FAILED_PRECONDITION. */
  addQueue(name: string, settings: QueueSettings, nowMs: number): QueueRuntime {
    if (this.#queues.has(name)) {
      throw alreadyExists(`Queue ${name} already exists.`);
    }
    const until = this.#queueNames.reservedUntil(name, nowMs);
    if (until !== undefined) {
      throw failedPrecondition(
        `Queue ${name} cannot be created because a queue with this name ` +
          `existed too recently (until ${new Date(until).toISOString()}).`,
      );
    }
    const queue = new QueueRuntime(name, settings, nowMs);
    this.#queues.set(name, queue);
    return queue;
  }

  /** Removes a queue and its tasks, reserving their names. */
  removeQueue(queue: QueueRuntime, nowMs: number): void {
    this.#queues.delete(queue.name);
    this.#queueNames.reserve(queue.name, nowMs);
    this.retireAllTasks(queue, nowMs);
  }

  /** The queue and live task called `name`; NOT_FOUND otherwise. */
  task(name: string | undefined, nowMs: number): [QueueRuntime, TaskRecord] {
    const { queueName } = parseTaskName(name);
    const queue = this.queue(queueName);
    const task = queue.tasks.get(name as string);
    if (task) return [queue, task];

    if (this.#taskNames.reservedUntil(name as string, nowMs) !== undefined) {
      throw notFound(
        `Task ${name} no longer exists, though a task with this name ` +
          'existed recently. The task either successfully completed or ' +
          'was deleted.',
      );
    }
    throw notFound(`Task ${name} was not found.`);
  }

  /** ALREADY_EXISTS when `name` is live or still reserved. */
  checkTaskNameFree(queue: QueueRuntime, name: string, nowMs: number): void {
    if (queue.tasks.has(name)) {
      throw alreadyExists(`Task ${name} already exists.`);
    }
    const until = this.#taskNames.reservedUntil(name, nowMs);
    if (until !== undefined) {
      throw alreadyExists(
        `Task ${name} already exists: a task with this name completed or ` +
          `was deleted recently; the name is taken until ` +
          `${new Date(until).toISOString()}.`,
      );
    }
  }

  /** Removes a finished or deleted task and reserves its name. */
  retireTask(queue: QueueRuntime, task: TaskRecord, nowMs: number): boolean {
    if (!queue.removeTask(task)) return false;
    this.#taskNames.reserve(task.name, nowMs);
    return true;
  }

  /** Removes every task of a queue, reserving their names. */
  retireAllTasks(queue: QueueRuntime, nowMs: number): void {
    for (const task of queue.removeAllTasks()) {
      this.#taskNames.reserve(task.name, nowMs);
    }
  }
}
