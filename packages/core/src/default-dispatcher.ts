import type { DispatchFunction } from './dispatch-function.ts';
import { buildDispatcher, type ExecuteOptions } from './dispatcher.ts';
import type { DispatcherOptions } from './dispatcher-options.ts';
import type { Delivery, ExecutionOutcome } from './outcome.ts';
import type { RedispatchOptions } from './redispatch-options.ts';
import type { DispatchReceipt } from './transport.ts';

const { dispatcher: defaultDispatcher, configureAs } = buildDispatcher({
  env: process.env,
});

/**
 * Registers a function in the default dispatcher and returns its
 * dispatched form: calling it sends the call instead of running it.
 * Configure where calls go with {@link configureDispatch} or the
 * `DISPATCH_*` environment variables.
 *
 * @example
 * export const updateRelated = dispatch('updateRelated',
 *   async (userId: string, at: Date) => { ... });
 * await updateRelated('u1', new Date()); // resolves once it is sent
 */
export const dispatch: DispatchFunction = defaultDispatcher.dispatch;

/**
 * Configures the default dispatcher used by {@link dispatch}. Options not
 * given here still fall back to `process.env` (pass `env: {}` to stop
 * that). Call it before the first call; functions registered earlier keep
 * working.
 *
 * @example
 * configureDispatch({
 *   transport: createPubSubTransport({ topic: 'calls' }),
 *   signing: { keys: parseSigningKeys(process.env.KEYS ?? '') },
 * });
 */
export function configureDispatch(options: DispatcherOptions): void {
  configureAs({ env: process.env, ...options }, 'configureDispatch');
}

/**
 * Runs one delivered frame with the default dispatcher: what a receiver
 * calls for each message or task. Never rejects.
 */
export function execute(
  frame: Uint8Array,
  delivery: Delivery,
  options?: ExecuteOptions,
): Promise<ExecutionOutcome> {
  return defaultDispatcher.execute(frame, delivery, options);
}

/**
 * Sends a signed frame, such as a dead letter, again with the default
 * dispatcher, keeping its function, arguments and call id. See
 * `Dispatcher.redispatch`.
 */
export function redispatch(
  frame: Uint8Array,
  options?: RedispatchOptions,
): Promise<DispatchReceipt> {
  return defaultDispatcher.redispatch(frame, options);
}

/** Resolves once the default dispatcher's transports accepted everything. */
export function flushDispatch(): Promise<void> {
  return defaultDispatcher.flush();
}

/** Flushes and closes the default dispatcher's transports. */
export function closeDispatch(): Promise<void> {
  return defaultDispatcher.close();
}
