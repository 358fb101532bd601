import { AsyncLocalStorage } from 'node:async_hooks';

/** What a running body can learn about the call it serves. */
export interface CallContext {
  readonly callId: string;
  readonly functionName: string;
  /** 1 for the first delivery. */
  readonly attempt: number;
  /** When the caller dispatched the call. */
  readonly createdAt: Date;
  readonly traceparent: string | undefined;
  readonly tracestate: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  /** Aborts when the function's `timeout` passes. */
  readonly signal: AbortSignal;
}

const storage = new AsyncLocalStorage<CallContext>();

/**
 * The call the current body is serving, or `undefined` outside a
 * dispatched body (and in `runLocally`). Calls dispatched from a body
 * inherit its `traceparent` and `tracestate`.
 *
 * @example
 * const ctx = currentCall();
 * if (ctx) log.info('working', { callId: ctx.callId });
 */
export function currentCall(): CallContext | undefined {
  return storage.getStore();
}

/** Runs `body` with `context` as the current call. */
export function runInCallContext<T>(context: CallContext, body: () => T): T {
  return storage.run(context, body);
}
