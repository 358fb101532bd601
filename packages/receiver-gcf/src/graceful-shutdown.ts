import { DispatchError, type Logger } from '@cloud-functions-dispatch/core';
import type { InFlight } from './in-flight.ts';

/** Options of the receiver's SIGTERM handling. */
export interface ShutdownOptions {
  /**
   * Milliseconds the calls in flight get to finish after SIGTERM. Default
   * 8,000: Cloud Run (and so Cloud Functions gen 2) kills an instance 10 s
   * after SIGTERM, and the answers and log lines need the rest.
   */
  gracePeriodMs?: number;
}

/** Default of {@link ShutdownOptions.gracePeriodMs}, in ms. */
export const DEFAULT_GRACE_PERIOD_MS = 8_000;

// After the last answer is written, a moment for the socket to flush it
// before the process exits.
const LINGER_MS = 50;

type SignalListener = (...args: unknown[]) => void;

/**
 * Holds SIGTERM until the calls in flight are answered, then hands it on.
 *
 * functions-framework 5 answers SIGTERM by writing a 500 to the latest
 * response and calling `process.exit()` at once
 * (GoogleCloudPlatform/functions-framework-nodejs#704), so every call in
 * flight is cut off. While installed, this takes every other SIGTERM
 * listener off the process (the framework's is added after the user
 * module loads, so later ones too), drains `inFlight` on SIGTERM, then
 * puts them back and raises SIGTERM again: the framework then exits as
 * before, or, with no listener left, Node's default ends the process.
 * Returns a function that uninstalls it.
 */
export function installGracefulShutdown(
  inFlight: InFlight,
  logger: Logger,
  options: ShutdownOptions = {},
): () => void {
  const gracePeriodMs = checkGracePeriod(options.gracePeriodMs);
  const held: SignalListener[] = [];
  let started = false;

  const holdOthers = () => {
    for (const listener of process.rawListeners('SIGTERM')) {
      if (listener === onSignal) continue;
      process.removeListener('SIGTERM', listener as SignalListener);
      held.push(listener as SignalListener);
    }
  };
  // 'newListener' fires before the listener is added: move it next turn.
  const onNewListener = (event: string | symbol) => {
    if (event === 'SIGTERM') queueMicrotask(holdOthers);
  };
  const uninstall = () => {
    process.removeListener('newListener', onNewListener);
    process.removeListener('SIGTERM', onSignal);
    for (const listener of held.splice(0)) process.on('SIGTERM', listener);
  };

  const onSignal = () => {
    if (started) return;
    started = true;
    const handOn = () => {
      uninstall();
      process.kill(process.pid, 'SIGTERM');
    };
    // Whatever happens while draining, the signal is handed on.
    drain(inFlight, logger, gracePeriodMs).then(handOn, handOn);
  };

  process.on('SIGTERM', onSignal);
  holdOthers();
  process.on('newListener', onNewListener);
  return uninstall;
}

async function drain(
  inFlight: InFlight,
  logger: Logger,
  gracePeriodMs: number,
): Promise<void> {
  logger.info('receiver: SIGTERM, finishing the calls in flight', {
    inFlight: inFlight.size,
    gracePeriodMs,
  });

  const result = await inFlight.drain(gracePeriodMs);
  await new Promise((resolve) => setTimeout(resolve, LINGER_MS));

  const entry = result.abandoned > 0 ? logger.warn : logger.info;
  entry.call(logger, 'receiver: calls in flight answered, exiting', {
    inFlight: result.inFlight,
    abandoned: result.abandoned,
  });
}

function checkGracePeriod(value: number | undefined): number {
  if (value === undefined) return DEFAULT_GRACE_PERIOD_MS;
  if (Number.isFinite(value) && value >= 0) return value;
  throw new DispatchError(
    'INVALID_OPTIONS',
    `registerHandlers: shutdown.gracePeriodMs must be a finite number of ` +
      `ms >= 0, got ${String(value)}`,
  );
}
