import { type CallContext, runInCallContext } from './call-context.ts';
import { DispatchError } from './errors.ts';
import type { RegisteredFunction } from './registry.ts';
import type { Envelope } from './wire/index.ts';

/** Why a body did not finish: what it threw, or a `TIMEOUT`. */
export interface BodyFailure {
  readonly error: unknown;
}

/**
 * Runs a registered body with its call context and the function's
 * `timeout`, and resolves with what `judge` makes of it: `undefined` when
 * the body finished, a failure otherwise. Every delivery runs through
 * here: without a timeout it adds one promise to the body's own.
 */
export function runBody<T>(
  entry: RegisteredFunction,
  args: readonly unknown[],
  envelope: Envelope,
  attempt: number,
  judge: (failure: BodyFailure | undefined) => T,
): Promise<T> {
  const context = new DeliveredCall(entry.name, envelope, attempt);

  let result: unknown;
  try {
    result = runInCallContext(context, () => entry.body(...args));
  } catch (error) {
    return Promise.resolve(judge({ error }));
  }
  const timeout = entry.options.timeout;
  if (timeout === undefined) {
    return Promise.resolve(result).then(
      () => judge(undefined),
      (error: unknown) => judge({ error }),
    );
  }

  // Whichever comes first, the body or its timeout, is judged; only once.
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (failure: BodyFailure | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        resolve(judge(failure));
      } catch (error) {
        reject(error);
      }
    };
    const timer = setTimeout(() => {
      const error = timedOut(entry.name, envelope.callId, timeout);
      context.abort(error);
      settle({ error });
    }, timeout);
    Promise.resolve(result).then(
      () => settle(undefined),
      (error: unknown) => settle({ error }),
    );
  });
}

/**
 * The context of one delivery. Its abort signal is created only when the
 * body asks for it: most never do, and an AbortController per delivery
 * is not free.
 */
class DeliveredCall implements CallContext {
  readonly callId: string;
  readonly functionName: string;
  readonly attempt: number;
  readonly createdAt: Date;
  readonly traceparent: string | undefined;
  readonly tracestate: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  #controller: AbortController | undefined;
  #aborted: { reason: unknown } | undefined;

  constructor(functionName: string, envelope: Envelope, attempt: number) {
    this.callId = envelope.callId;
    this.functionName = functionName;
    this.attempt = attempt;
    this.createdAt = envelope.createdAt;
    this.traceparent = envelope.traceparent;
    this.tracestate = envelope.tracestate;
    this.metadata = envelope.metadata;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#aborted.reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    this.#aborted = { reason };
    this.#controller?.abort(reason);
  }
}

function timedOut(
  functionName: string,
  callId: string,
  timeout: number,
): DispatchError {
  return new DispatchError(
    'TIMEOUT',
    `execute ${functionName}: call ${callId} ran longer than its ` +
      `timeout of ${timeout} ms`,
    { functionName, callId },
  );
}
