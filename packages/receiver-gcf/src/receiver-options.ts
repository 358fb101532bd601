import {
  type Delivery,
  type Dispatcher,
  type ExecutionOutcome,
  execute,
  type Logger,
} from '@cloud-functions-dispatch/core';
import { createJsonLogger } from './json-logger.ts';

/**
 * What the receiver needs of a dispatcher: core's `execute`, which takes
 * the receiver's logger for dispatchers that have none.
 */
export type Executor = Pick<Dispatcher, 'execute'>;

/** Options of the handlers. */
export interface ReceiverOptions {
  /**
   * Runs the frames. Default: core's default dispatcher (the one
   * `dispatch()` registers with and `configureDispatch()` configures).
   */
  dispatcher?: Executor;
  /**
   * Where the receiver reports requests it cannot read, and where the
   * dispatcher reports outcomes when it has no logger configured.
   * Default: {@link createJsonLogger}`()`.
   */
  logger?: Logger;
}

/** The options with their defaults filled in. */
export interface Receiver {
  dispatcher: Executor;
  logger: Logger;
}

/** Fills in the defaults of {@link ReceiverOptions}. */
export function resolveReceiver(options: ReceiverOptions): Receiver {
  const logger = options.logger ?? createJsonLogger();
  const dispatcher = options.dispatcher ?? { execute };
  return { dispatcher, logger };
}

/** Runs one received frame, offering the receiver's logger. */
export function executeReceived(
  receiver: Receiver,
  frame: Uint8Array,
  delivery: Delivery,
): Promise<ExecutionOutcome> {
  return receiver.dispatcher.execute(frame, delivery, {
    logger: receiver.logger,
  });
}
