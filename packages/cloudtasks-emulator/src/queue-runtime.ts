import { MinHeap } from './min-heap.ts';
import type { QueueMessage, QueueStateName } from './proto-types.ts';
import { type QueueSettings, settingsToMessage } from './queue-config.ts';
import type { TaskRecord } from './task-record.ts';
import { msToTimestamp } from './time.ts';
import { TokenBucket } from './token-bucket.ts';

interface DueEntry {
  task: TaskRecord;
  version: number;
  atMs: number;
  sequence: number;
}

/** One queue: its settings, its tasks in due order and its rate limiter. */
export class QueueRuntime {
  readonly name: string;
  state: QueueStateName = 'RUNNING';
  purgeTimeMs: number | undefined;
  readonly tasks: Map<string, TaskRecord> = new Map();
  /** Attempts under way, each with the controller that aborts it. */
  readonly inFlight: Map<TaskRecord, AbortController> = new Map();
  readonly bucket: TokenBucket;
  #settings: QueueSettings;
  #sequence = 0;
  readonly #due = new MinHeap<DueEntry>(
    (a, b) => a.atMs < b.atMs || (a.atMs === b.atMs && a.sequence < b.sequence),
  );

  constructor(name: string, settings: QueueSettings, nowMs: number) {
    this.name = name;
    this.#settings = settings;
    const { maxDispatchesPerSecond, maxBurstSize } = settings.rateLimits;
    this.bucket = new TokenBucket(maxDispatchesPerSecond, maxBurstSize, nowMs);
  }

  get settings(): QueueSettings {
    return this.#settings;
  }

  /** Applies new settings; tokens already in the bucket are kept. */
  updateSettings(settings: QueueSettings, nowMs: number): void {
    this.#settings = settings;
    const { maxDispatchesPerSecond, maxBurstSize } = settings.rateLimits;
    this.bucket.reconfigure(maxDispatchesPerSecond, maxBurstSize, nowMs);
  }

  /** Adds a new task, due at its schedule time. */
  addTask(task: TaskRecord): void {
    this.tasks.set(task.name, task);
    this.#enqueue(task);
  }

  /** Moves a task to a new due time (a retry). */
  reschedule(task: TaskRecord, atMs: number): void {
    task.scheduleTimeMs = atMs;
    task.version += 1;
    this.#enqueue(task);
  }

  /** Takes a task out of the due order while an attempt runs. */
  markDispatching(task: TaskRecord, controller: AbortController): void {
    task.version += 1;
    this.inFlight.set(task, controller);
  }

  /** Whether `task` is still this queue's task of that name. */
  isLive(task: TaskRecord): boolean {
    return this.tasks.get(task.name) === task;
  }

  /** Removes `task`; false when it was already gone. */
  removeTask(task: TaskRecord): boolean {
    if (!this.isLive(task)) return false;
    this.tasks.delete(task.name);
    return true;
  }

  /** Removes every task and returns them. */
  removeAllTasks(): TaskRecord[] {
    const removed = [...this.tasks.values()];
    this.tasks.clear();
    this.#due.clear();
    return removed;
  }

  /** The earliest waiting task, or `undefined` when none waits. */
  peekDue(): TaskRecord | undefined {
    for (;;) {
      const entry = this.#due.peek();
      if (!entry) return undefined;
      const { task } = entry;
      if (this.isLive(task) && task.version === entry.version) return task;
      this.#due.pop();
    }
  }

  /** Removes the task `peekDue` returned from the due order. */
  popDue(): void {
    this.#due.pop();
  }

  /** The Queue message for a response. */
  toMessage(): QueueMessage {
    const message: QueueMessage = {
      name: this.name,
      ...settingsToMessage(this.#settings),
      state: this.state,
    };
    if (this.purgeTimeMs !== undefined) {
      message.purgeTime = msToTimestamp(this.purgeTimeMs);
    }
    return message;
  }

  #enqueue(task: TaskRecord): void {
    this.#sequence += 1;
    this.#due.push({
      task,
      version: task.version,
      atMs: task.scheduleTimeMs,
      sequence: this.#sequence,
    });
  }
}
