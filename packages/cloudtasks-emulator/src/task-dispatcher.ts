import { attemptStatus, isSuccess } from './attempt-status.ts';
import { mayRetry, retryDelayMs } from './backoff.ts';
import { dispatchHeaders } from './dispatch-headers.ts';
import type { DispatchLogger, DispatchResult } from './dispatch-log.ts';
import {
  type AttemptOutcome,
  sendHttpAttempt,
  type TargetAgents,
} from './http-attempt.ts';
import type { OidcIssuer } from './oidc-issuer.ts';
import type { QueueRuntime } from './queue-runtime.ts';
import type { EmulatorStore } from './store.ts';
import type { AttemptRecord, TaskRecord } from './task-record.ts';

/** What the dispatcher works with. */
export interface TaskDispatcherOptions {
  store: EmulatorStore;
  oidc: OidcIssuer;
  agents: TargetAgents;
  logger: DispatchLogger | undefined;
  /** Called after every attempt, so the scheduler can fill the slot. */
  onAttemptSettled: () => void;
}

/** Runs attempts: one HTTP request each, then completes or reschedules. */
export class TaskDispatcher {
  readonly #options: TaskDispatcherOptions;
  #closed = false;

  constructor(options: TaskDispatcherOptions) {
    this.#options = options;
  }

  /**
   * Starts an attempt now, whatever the queue's limits (the scheduler
   * checks them; RunTask ignores them). Counts it before returning.
   */
  start(queue: QueueRuntime, task: TaskRecord): void {
    const nowMs = Date.now();
    const controller = new AbortController();
    const headers = dispatchHeaders(queue.name, task, hasToken(task));

    queue.markDispatching(task, controller);
    task.dispatchCount += 1;
    const attempt: AttemptRecord = {
      scheduleTimeMs: task.scheduleTimeMs,
      dispatchTimeMs: nowMs,
      responseTimeMs: undefined,
      responseStatus: undefined,
    };
    task.firstAttempt ??= attempt;
    task.lastAttempt = attempt;

    void this.#send(task, headers, controller.signal).then((outcome) => {
      queue.inFlight.delete(task);
      this.#settle(queue, task, attempt, outcome);
      this.#options.onAttemptSettled();
    });
  }

  /** Aborts the attempts under way for `queue` (it is being deleted). */
  abortQueue(queue: QueueRuntime): void {
    for (const controller of queue.inFlight.values()) controller.abort();
  }

  /** Aborts every attempt under way and stops logging. */
  close(): void {
    this.#closed = true;
    for (const queue of this.#options.store.queues()) this.abortQueue(queue);
  }

  async #send(
    task: TaskRecord,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<AttemptOutcome> {
    const { http } = task;
    try {
      if (http.oidcToken) {
        const { serviceAccountEmail, audience } = http.oidcToken;
        const token = await this.#options.oidc.token(
          serviceAccountEmail,
          audience || http.url,
        );
        headers.Authorization = `Bearer ${token}`;
      } else if (http.oauthToken) {
        headers.Authorization = 'Bearer cloud-tasks-emulator-oauth-token';
      }
      const request = { ...http, headers, signal };
      const deadlineMs = task.dispatchDeadlineMs;
      return await sendHttpAttempt(
        { ...request, deadlineMs },
        this.#options.agents,
      );
    } catch (error) {
      return { kind: 'network-error', message: String(error) };
    }
  }

  #settle(
    queue: QueueRuntime,
    task: TaskRecord,
    attempt: AttemptRecord,
    outcome: AttemptOutcome,
  ): void {
    const nowMs = Date.now();
    if (outcome.kind === 'aborted' || !queue.isLive(task)) {
      this.#log(queue, task, attempt, outcome, 'dropped', undefined);
      return;
    }

    recordOutcome(task, attempt, outcome, nowMs);
    const result = nextStep(queue, task, outcome, nowMs);
    let nextMs: number | undefined;
    if (result === 'retrying') {
      nextMs =
        nowMs + retryDelayMs(queue.settings.retryPolicy, task.dispatchCount);
      queue.reschedule(task, nextMs);
    } else {
      this.#options.store.retireTask(queue, task, nowMs);
    }
    this.#log(queue, task, attempt, outcome, result, nextMs);
  }

  #log(
    queue: QueueRuntime,
    task: TaskRecord,
    attempt: AttemptRecord,
    outcome: AttemptOutcome,
    result: DispatchResult,
    nextMs: number | undefined,
  ): void {
    const { logger } = this.#options;
    if (!logger || this.#closed) return;
    const failure =
      outcome.kind === 'network-error' ? outcome.message : outcome.kind;
    const entry = {
      queue: queue.name,
      task: task.name,
      attempt: task.dispatchCount,
      method: task.http.method,
      url: task.http.url,
      status: outcome.kind === 'response' ? outcome.status : undefined,
      error: outcome.kind === 'response' ? undefined : failure,
      result,
      nextAttemptAt: nextMs === undefined ? undefined : new Date(nextMs),
      durationMs: Date.now() - attempt.dispatchTimeMs,
    };
    try {
      logger(entry);
    } catch {
      // A failing logger must not stop the queue.
    }
  }
}

// Fills in the attempt's response and the counts the next attempt reports.
function recordOutcome(
  task: TaskRecord,
  attempt: AttemptRecord,
  outcome: AttemptOutcome,
  nowMs: number,
): void {
  const responseStatus = attemptStatus(outcome, task.dispatchDeadlineMs);
  attempt.responseTimeMs = nowMs;
  attempt.responseStatus = responseStatus;
  const httpStatus = outcome.kind === 'response' ? outcome.status : undefined;
  if (httpStatus !== undefined) {
    task.responseCount += 1;
    if (httpStatus < 500) task.executionCount += 1;
  }
  task.previousResponse = httpStatus;
  task.retryReason = responseStatus.message;
}

function nextStep(
  queue: QueueRuntime,
  task: TaskRecord,
  outcome: AttemptOutcome,
  nowMs: number,
): DispatchResult {
  if (outcome.kind === 'response' && isSuccess(outcome.status)) {
    return 'completed';
  }
  const firstMs = task.firstAttempt?.dispatchTimeMs ?? nowMs;
  const policy = queue.settings.retryPolicy;
  return mayRetry(policy, task.dispatchCount, firstMs, nowMs)
    ? 'retrying'
    : 'gave-up';
}

function hasToken(task: TaskRecord): boolean {
  return (
    task.http.oidcToken !== undefined || task.http.oauthToken !== undefined
  );
}
