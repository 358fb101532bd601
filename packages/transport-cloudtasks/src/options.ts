import { DispatchError } from '@cloud-functions-dispatch/core';
import type { CloudTasksClient } from '@google-cloud/tasks';

/** Options of {@link createCloudTasksTransport}. */
export interface CloudTasksTransportOptions {
  /** Full queue path: `projects/P/locations/L/queues/Q`. Required. */
  queue: string;
  /** The worker's URL; every task POSTs the frame here. Required. */
  url: string;
  /**
   * Service account whose OIDC token Cloud Tasks attaches to each request.
   * Default: none (no `Authorization` header).
   */
  serviceAccountEmail?: string;
  /**
   * Audience of the OIDC token. Default: the URL's origin and path,
   * without query or fragment. Only used with `serviceAccountEmail`.
   */
  audience?: string;
  /**
   * A client to use instead of building one. The transport never closes a
   * client it was given. Default: a client built from the environment.
   */
  client?: CloudTasksClient;
  /**
   * Extra headers sent with every task. The transport's own headers
   * (`Content-Type`, `X-Dispatch-Function`, `X-Dispatch-Call-Id`) win.
   */
  headers?: Record<string, string>;
  /**
   * How long Cloud Tasks waits for the worker to answer one attempt, in
   * milliseconds, between 15,000 and 1,800,000. Default: the service's
   * (10 minutes).
   */
  dispatchDeadline?: number;
  /** Longest wait for `createTask`, in milliseconds. Default 30,000. */
  timeoutMs?: number;
  /**
   * `host:port` of a Cloud Tasks emulator to talk plaintext gRPC to.
   * Ignored when `client` is given. Default: `CLOUD_TASKS_EMULATOR_HOST`.
   */
  emulatorHost?: string;
}

/** Default bound on one `createTask` call, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Shortest dispatch deadline Cloud Tasks accepts for HTTP tasks (ms). */
export const MIN_DISPATCH_DEADLINE_MS = 15_000;

/** Longest dispatch deadline Cloud Tasks accepts for HTTP tasks (ms). */
export const MAX_DISPATCH_DEADLINE_MS = 1_800_000;

const QUEUE_PATH =
  /^projects\/[A-Za-z0-9\-:.]+\/locations\/[A-Za-z0-9-]+\/queues\/[A-Za-z0-9-]{1,100}$/;

/** Throws `INVALID_OPTIONS` naming the first option that is wrong. */
export function validateTransportOptions(
  options: CloudTasksTransportOptions,
): void {
  if (!QUEUE_PATH.test(options.queue)) {
    throw invalid(
      `queue must be projects/P/locations/L/queues/Q, got "${options.queue}"`,
    );
  }

  if (!/^https?:\/\//.test(options.url) || !URL.canParse(options.url)) {
    throw invalid(`url must be an http(s) URL, got "${options.url}"`);
  }

  const deadline = options.dispatchDeadline;
  if (deadline !== undefined && !isDeadlineInRange(deadline)) {
    throw invalid(
      `dispatchDeadline must lie between ${MIN_DISPATCH_DEADLINE_MS} and ` +
        `${MAX_DISPATCH_DEADLINE_MS} ms, got ${deadline}`,
    );
  }

  const timeout = options.timeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw invalid(`timeoutMs must be a positive number, got ${timeout}`);
  }
}

/** The OIDC audience used when none is given: origin plus path. */
export function defaultAudience(url: string): string {
  const parsed = new URL(url);
  return parsed.origin + parsed.pathname;
}

function isDeadlineInRange(ms: number): boolean {
  return (
    Number.isFinite(ms) &&
    ms >= MIN_DISPATCH_DEADLINE_MS &&
    ms <= MAX_DISPATCH_DEADLINE_MS
  );
}

function invalid(detail: string): DispatchError {
  return new DispatchError(
    'INVALID_OPTIONS',
    `createCloudTasksTransport: ${detail}`,
  );
}
