import type { CallOptions } from './call-options.ts';
import { DispatchError } from './errors.ts';
import {
  type ArgumentSource,
  type FanOutOptions,
  type FanOutSummary,
  fanOut,
} from './fan-out.ts';
import type { RegisteredFunction } from './registry.ts';
import type { DispatchReceipt } from './transport.ts';
import {
  mergeCallOptions,
  validateCallOptions,
} from './validate-call-options.ts';

/**
 * What `dispatch()` returns. Calling it does not run the body: it sends
 * the call and resolves once the transport accepted it.
 *
 * @example
 * await sendMail('ada@example.com', 'Hello');
 * await sendMail.with({ delay: 60_000 })('ada@example.com', 'Later');
 * await sendMail.fanOut(recipients(), { concurrency: 32 });
 */
export interface DispatchedFunction<Args extends unknown[], Result = unknown> {
  /** Sends one call; resolves with the transport's receipt. */
  (...args: Args): Promise<DispatchReceipt>;
  /** The registered name the worker looks the body up by. */
  readonly functionName: string;
  /** The same function, with per-call options for every call it makes. */
  with(options: CallOptions): DispatchedFunction<Args, Result>;
  /**
   * Sends one call per argument tuple of `source`, pulling it lazily with
   * at most `concurrency` calls in flight. Never rejects half way: the
   * summary counts and keeps the failures.
   */
  fanOut(
    source: ArgumentSource<Args | Readonly<Args>>,
    options?: FanOutOptions,
  ): Promise<FanOutSummary>;
  /** Runs the body here and now, without encoding or a transport. */
  runLocally(...args: Args): Promise<Awaited<Result>>;
}

/** Sends one call of a registered function; supplied by the dispatcher. */
export type CallSender = (
  entry: RegisteredFunction,
  args: readonly unknown[],
  options: CallOptions,
) => Promise<DispatchReceipt>;

/** Builds the callable for `entry`, bound to `options`. */
export function createDispatchedFunction<
  Args extends unknown[],
  Result = unknown,
>(
  entry: RegisteredFunction,
  send: CallSender,
  options: CallOptions = {},
): DispatchedFunction<Args, Result> {
  const name = entry.name;
  const call = (...args: Args): Promise<DispatchReceipt> =>
    send(entry, args, options);

  const sendTuple = (args: Args | Readonly<Args>): Promise<unknown> => {
    if (Array.isArray(args)) return send(entry, args, options);
    return Promise.reject(
      new DispatchError(
        'INVALID_OPTIONS',
        `${name}.fanOut(): each item of the source must be an array ` +
          'of arguments',
        { functionName: name },
      ),
    );
  };

  const members = {
    functionName: name,
    with: (next: CallOptions) =>
      createDispatchedFunction<Args, Result>(
        entry,
        send,
        mergeCallOptions(options, validateCallOptions(next, name)),
      ),
    fanOut: (
      source: ArgumentSource<Args | Readonly<Args>>,
      fanOutOptions: FanOutOptions = {},
    ) => fanOut(source, sendTuple, fanOutOptions, name),
    runLocally: async (...args: Args): Promise<Awaited<Result>> =>
      (await entry.body(...args)) as Awaited<Result>,
  };

  Object.defineProperty(call, 'name', { value: name });
  return Object.freeze(Object.assign(call, members));
}
