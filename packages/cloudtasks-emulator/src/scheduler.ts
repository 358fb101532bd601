import type { QueueRuntime } from './queue-runtime.ts';
import type { EmulatorStore } from './store.ts';
import type { TaskRecord } from './task-record.ts';

// setTimeout's longest delay; a task further out is reached in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Starts due tasks within each running queue's limits. It never polls: one
 * timer waits for the earliest moment something can happen (a schedule
 * time, a token), and `wake()` runs it early after any change.
 */
export class Scheduler {
  readonly #store: EmulatorStore;
  readonly #start: (queue: QueueRuntime, task: TaskRecord) => void;
  #timer: NodeJS.Timeout | undefined;
  #wakeQueued = false;
  #closed = false;

  constructor(
    store: EmulatorStore,
    start: (queue: QueueRuntime, task: TaskRecord) => void,
  ) {
    this.#store = store;
    this.#start = start;
  }

  /** Re-examines every queue once the current call stack has finished. */
  wake(): void {
    if (this.#wakeQueued || this.#closed) return;
    this.#wakeQueued = true;
    queueMicrotask(() => {
      this.#wakeQueued = false;
      this.#run();
    });
  }

  /** Stops for good and clears the timer. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #run(): void {
    if (this.#closed) return;
    const nowMs = Date.now();
    let nextMs = Number.POSITIVE_INFINITY;
    for (const queue of this.#store.queues()) {
      nextMs = Math.min(nextMs, this.#startDue(queue, nowMs));
    }
    this.#arm(nextMs, nowMs);
  }

  // Starts what the queue allows now; returns when to look again
  // (Infinity: only a change or a finished attempt can help).
  #startDue(queue: QueueRuntime, nowMs: number): number {
    if (queue.state !== 'RUNNING') return Number.POSITIVE_INFINITY;
    const { maxConcurrentDispatches } = queue.settings.rateLimits;
    for (;;) {
      const task = queue.peekDue();
      if (!task) return Number.POSITIVE_INFINITY;
      if (task.scheduleTimeMs > nowMs) return task.scheduleTimeMs;
      if (queue.inFlight.size >= maxConcurrentDispatches) {
        return Number.POSITIVE_INFINITY;
      }
      const waitMs = queue.bucket.msUntilToken(nowMs);
      if (waitMs > 0) return nowMs + waitMs;

      queue.bucket.take(nowMs);
      queue.popDue();
      this.#start(queue, task);
    }
  }

  #arm(atMs: number, nowMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (atMs === Number.POSITIVE_INFINITY) return;
    const delayMs = Math.min(
      Math.max(Math.ceil(atMs - nowMs), 1),
      MAX_TIMER_MS,
    );
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, delayMs);
  }
}
