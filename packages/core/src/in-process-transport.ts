import { DispatchError } from './errors.ts';
import type { Delivery, ExecutionOutcome, OutcomeReason } from './outcome.ts';
import type {
  DispatchReceipt,
  OutgoingMessage,
  Transport,
} from './transport.ts';
import { invalidOption, isNonNegativeFinite } from './validate.ts';

/** Runs one delivered frame; the dispatcher attaches one of these. */
export interface FrameExecutor {
  execute(frame: Uint8Array, delivery: Delivery): Promise<ExecutionOutcome>;
}

/** Options of {@link createInProcessTransport}. */
export interface InProcessTransportOptions {
  /** Milliseconds between a failed attempt and the next. Default 5. */
  retryDelay?: number;
}

/** One call the in-process transport gave up on. */
export interface DroppedCall {
  readonly callId: string | undefined;
  readonly functionName: string | undefined;
  readonly reason: OutcomeReason;
  readonly error: unknown;
}

/** What happened to the calls that finished since the last drain. */
export interface DrainReport {
  /** Calls whose body finished. */
  completed: number;
  /** Attempts that failed and were tried again. */
  retried: number;
  /** Calls dropped without completing, with the reason. */
  dropped: DroppedCall[];
}

/** A transport that runs every call in this process, for tests and dev. */
export interface InProcessTransport extends Transport {
  /**
   * Resolves once every call sent so far has finished, including calls
   * those calls dispatched, their retries and delayed calls. The report
   * covers the calls finished since the previous drain.
   */
  drain(): Promise<DrainReport>;
  /**
   * Gives the transport the dispatcher that runs its calls. Dispatchers
   * do this themselves; one transport serves one dispatcher.
   */
  attach(executor: FrameExecutor): void;
}

const inProcessTransports = new WeakSet<Transport>();

/** True when `transport` came from {@link createInProcessTransport}. */
export function isInProcessTransport(
  transport: Transport,
): transport is InProcessTransport {
  return inProcessTransports.has(transport);
}

/**
 * Creates a transport that takes every call the whole way in this
 * process: encoded, signed, verified, decoded and run, never inside the
 * caller's tick, with retries. Honours `delay`, `at`, `dedupeKey` and
 * `orderingKey`.
 *
 * @example
 * const transport = createInProcessTransport();
 * const { dispatch } = createDispatcher({ transport });
 * const greet = dispatch('greet', async (name: string) => {});
 * await greet('Ada');
 * const report = await transport.drain();
 */
export function createInProcessTransport(
  options: InProcessTransportOptions = {},
): InProcessTransport {
  const retryDelay = options.retryDelay ?? 5;
  if (!isNonNegativeFinite(retryDelay)) {
    invalidOption('retryDelay', 'createInProcessTransport', 'ms >= 0');
  }
  const calls = createCallRunner(retryDelay);
  const receipts = new Map<string, DispatchReceipt>();
  let closed = false;
  let sent = 0;

  const transport: InProcessTransport = {
    name: 'in-process',
    attach: (executor) => calls.attach(executor),
    async send(message) {
      if (closed) throw closedError(message);
      const known = dedupe(receipts, message);
      if (known !== undefined) return known;

      calls.start(message, startDelay(message));
      sent += 1;
      const receipt = { id: `in-process-${sent}`, callId: message.callId };
      if (message.options.dedupeKey !== undefined) {
        receipts.set(message.options.dedupeKey, {
          ...receipt,
          deduplicated: true,
        });
      }
      return { ...receipt, deduplicated: false };
    },
    drain: () => calls.drain(),
    flush: async () => {},
    async close() {
      await calls.drain();
      closed = true;
    },
  };
  inProcessTransports.add(transport);
  return transport;
}

function dedupe(
  receipts: Map<string, DispatchReceipt>,
  message: OutgoingMessage,
): DispatchReceipt | undefined {
  const key = message.options.dedupeKey;
  return key === undefined ? undefined : receipts.get(key);
}

function startDelay(message: OutgoingMessage): number {
  const { delay, at } = message.options;
  if (at !== undefined) return Math.max(0, at.getTime() - Date.now());
  return delay ?? 0;
}

function closedError(message: OutgoingMessage): DispatchError {
  return new DispatchError(
    'CLOSED',
    `in-process transport: cannot send ${message.functionName} ` +
      `(call ${message.callId}), the transport is closed`,
    { functionName: message.functionName, callId: message.callId },
  );
}

interface CallRunner {
  attach(executor: FrameExecutor): void;
  /** Throws `NO_TRANSPORT` when no dispatcher is attached. */
  start(message: OutgoingMessage, delay: number): void;
  drain(): Promise<DrainReport>;
}

/** Runs calls to completion and tracks how many are still pending. */
function createCallRunner(retryDelay: number): CallRunner {
  let executor: FrameExecutor | undefined;
  let pending = 0;
  let report = emptyReport();
  let idle: { promise: Promise<void>; resolve: () => void } | undefined;
  const orderingTails = new Map<string, Promise<void>>();

  const runCall = async (
    target: FrameExecutor,
    message: OutgoingMessage,
    delay: number,
  ) => {
    await sleep(delay);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await deliver(target, message, attempt);
      if (outcome.kind !== 'retry') return record(report, outcome);
      report.retried += 1;
      await sleep(retryDelay);
    }
  };

  const settle = () => {
    pending -= 1;
    if (pending === 0) idle?.resolve();
  };

  return {
    attach(next) {
      if (executor !== undefined && executor !== next) {
        throw new DispatchError(
          'INVALID_OPTIONS',
          'in-process transport: already attached to another ' +
            'dispatcher; create one transport per dispatcher',
        );
      }
      executor = next;
    },
    start(message, delay) {
      const target = executor;
      if (target === undefined) throw notAttached(message);
      pending += 1;
      const key = message.options.orderingKey;
      const previous = key === undefined ? undefined : orderingTails.get(key);
      const run = (previous ?? Promise.resolve())
        .then(() => runCall(target, message, delay))
        .finally(settle);
      if (key !== undefined) trackTail(orderingTails, key, run);
    },
    async drain() {
      if (pending > 0) {
        idle ??= withResolvers();
        await idle.promise;
        idle = undefined;
      }
      const finished = report;
      report = emptyReport();
      return finished;
    },
  };
}

async function deliver(
  executor: FrameExecutor,
  message: OutgoingMessage,
  attempt: number,
): Promise<ExecutionOutcome> {
  const delivery = { attempt, source: 'in-process' };
  try {
    return await executor.execute(message.frame, delivery);
  } catch (error) {
    // Executors never throw; if one does, drop rather than loop forever.
    return { kind: 'drop', reason: 'failed', attempt, error };
  }
}

function notAttached(message: OutgoingMessage): DispatchError {
  return new DispatchError(
    'NO_TRANSPORT',
    `in-process transport: cannot send ${message.functionName} ` +
      `(call ${message.callId}), no dispatcher is attached to run it`,
    { functionName: message.functionName, callId: message.callId },
  );
}

function record(report: DrainReport, outcome: ExecutionOutcome): void {
  if (outcome.kind === 'done') {
    report.completed += 1;
    return;
  }
  report.dropped.push({
    callId: outcome.callId,
    functionName: outcome.functionName,
    reason: outcome.reason,
    error: outcome.error,
  });
}

function trackTail(
  tails: Map<string, Promise<void>>,
  key: string,
  run: Promise<void>,
): void {
  tails.set(key, run);
  void run.finally(() => {
    if (tails.get(key) === run) tails.delete(key);
  });
}

function emptyReport(): DrainReport {
  return { completed: 0, retried: 0, dropped: [] };
}

function withResolvers(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function sleep(ms: number): Promise<void> {
  // setImmediate for 0 keeps the call out of the caller's tick, cheaply.
  if (ms <= 0) return new Promise((done) => setImmediate(done));
  return new Promise((done) => setTimeout(done, ms));
}
