import { type CallContext, runInCallContext } from './call-context.ts';
import { DispatchError } from './errors.ts';
import type { RegisteredFunction } from './registry.ts';
import type { Envelope } from './wire/index.ts';

/** Why a body did not finish: what it threw, or a `TIMEOUT`. */
export interface BodyFailure {
  readonly error: unknown;
}

const finished = (): undefined => undefined;
const failed = (error: unknown): BodyFailure => ({ error });

/**
 * Runs a registered body with its call context and the function's
 * `timeout`. Resolves `undefined` when it finished, a failure otherwise.
 * Every delivery runs through here: without a timeout it adds one
 * promise to the body's own.
 */
export function runBody(
  entry: RegisteredFunction,
  args: readonly unknown[],
  envelope: Envelope,
  attempt: number,
): Promise<BodyFailure | undefined> {
  const abort = createLazyAbort();
  const context = callContext(entry, envelope, attempt, abort);

  let result: unknown;
  try {
    result = runInCallContext(context, () => entry.body(...args));
  } catch (error) {
    return Promise.resolve({ error });
  }
  const body = Promise.resolve(result).then(finished, failed);

  const timeout = entry.options.timeout;
  if (timeout === undefined) return body;

  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<BodyFailure>((resolve) => {
    timer = setTimeout(() => {
      const error = timedOut(entry.name, envelope.callId, timeout);
      abort.abort(error);
      resolve({ error });
    }, timeout);
  });
  const clear = () => clearTimeout(timer);
  body.then(clear, clear);
  return Promise.race([body, expiry]);
}

function callContext(
  entry: RegisteredFunction,
  envelope: Envelope,
  attempt: number,
  abort: LazyAbort,
): CallContext {
  return {
    callId: envelope.callId,
    functionName: entry.name,
    attempt,
    createdAt: envelope.createdAt,
    traceparent: envelope.traceparent,
    tracestate: envelope.tracestate,
    metadata: envelope.metadata,
    get signal() {
      return abort.signal;
    },
  };
}

interface LazyAbort {
  readonly signal: AbortSignal;
  abort(reason: unknown): void;
}

/**
 * An abort signal created only when a body asks for it: most never do,
 * and an AbortController per delivery is not free.
 */
function createLazyAbort(): LazyAbort {
  let controller: AbortController | undefined;
  let aborted: { reason: unknown } | undefined;
  return {
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        if (aborted) controller.abort(aborted.reason);
      }
      return controller.signal;
    },
    abort(reason) {
      aborted = { reason };
      controller?.abort(reason);
    },
  };
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
