import { runInCallContext } from './call-context.ts';
import { DispatchError } from './errors.ts';
import type { RegisteredFunction } from './registry.ts';
import type { Envelope } from './wire/index.ts';

/** Why a body did not finish: what it threw, or a `TIMEOUT`. */
export interface BodyFailure {
  readonly error: unknown;
}

/**
 * Runs a registered body with its call context and the function's
 * `timeout`. Resolves `undefined` when it finished, a failure otherwise.
 */
export async function runBody(
  entry: RegisteredFunction,
  args: readonly unknown[],
  envelope: Envelope,
  attempt: number,
): Promise<BodyFailure | undefined> {
  const controller = new AbortController();
  const context = {
    callId: envelope.callId,
    functionName: entry.name,
    attempt,
    createdAt: envelope.createdAt,
    traceparent: envelope.traceparent,
    tracestate: envelope.tracestate,
    metadata: envelope.metadata,
    signal: controller.signal,
  };
  const body = runInCallContext(context, () =>
    Promise.resolve().then(() => entry.body(...args)),
  );

  const timeout = entry.options.timeout;
  if (timeout === undefined) return settle(body);

  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<BodyFailure>((resolve) => {
    timer = setTimeout(() => {
      const error = timedOut(entry.name, envelope.callId, timeout);
      controller.abort(error);
      resolve({ error });
    }, timeout);
  });
  try {
    return await Promise.race([settle(body), expiry]);
  } finally {
    clearTimeout(timer);
  }
}

async function settle(
  body: Promise<unknown>,
): Promise<BodyFailure | undefined> {
  try {
    await body;
    return undefined;
  } catch (error) {
    return { error };
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
