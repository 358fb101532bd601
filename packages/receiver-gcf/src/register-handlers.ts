import { cloudEvent, http } from '@google-cloud/functions-framework';
import { cloudEventHandlerFor } from './cloud-event-handler.ts';
import {
  installGracefulShutdown,
  type ShutdownOptions,
} from './graceful-shutdown.ts';
import { httpHandlerFor } from './http-handler.ts';
import { type ReceiverOptions, resolveReceiver } from './receiver-options.ts';

/** Options of {@link registerHandlers}. */
export interface RegisterHandlersOptions extends ReceiverOptions {
  /**
   * Target name of the HTTP handler (Cloud Tasks, Pub/Sub push), or
   * `false` to register none. Default `'dispatch'`.
   */
  httpTarget?: string | false;
  /**
   * Target name of the CloudEvent handler (Pub/Sub trigger), or `false`
   * to register none. Default `'dispatchEvent'`.
   */
  cloudEventTarget?: string | false;
  /**
   * On SIGTERM, stop taking calls (503, or 500 for CloudEvents, so the
   * service delivers them elsewhere), let the calls in flight finish
   * within `gracePeriodMs` (default 8,000), then exit. `false` leaves
   * SIGTERM to functions-framework, which exits at once.
   */
  shutdown?: ShutdownOptions | false;
}

/** The target names {@link registerHandlers} registered. */
export interface RegisteredTargets {
  httpTarget: string | undefined;
  cloudEventTarget: string | undefined;
}

/**
 * Registers both entry points with functions-framework, so the deployed
 * function picks one with `--entry-point` (`dispatch` for HTTP,
 * `dispatchEvent` for a Pub/Sub trigger, unless renamed). Both share one
 * dispatcher, logger and count of calls in flight, and SIGTERM lets those
 * calls finish (see `shutdown`).
 *
 * Throws `NO_SIGNING_KEY` when no signing key is configured, so a worker
 * deployed without `DISPATCH_SIGNING_KEYS` fails at start instead of
 * retrying every call (see `allowMissingKeys`).
 *
 * @example
 * // index.ts, the worker's entry module
 * import { registerHandlers } from '@cloud-functions-dispatch/receiver-gcf';
 * import './functions.ts'; // the module that calls dispatch()
 * registerHandlers();
 */
export function registerHandlers(
  options: RegisterHandlersOptions = {},
): RegisteredTargets {
  const { httpTarget = 'dispatch', cloudEventTarget = 'dispatchEvent' } =
    options;

  const shared = resolveReceiver(options);

  if (httpTarget !== false) http(httpTarget, httpHandlerFor(shared));
  if (cloudEventTarget !== false) {
    cloudEvent(cloudEventTarget, cloudEventHandlerFor(shared));
  }
  if (options.shutdown !== false) {
    installGracefulShutdown(shared.inFlight, shared.logger, options.shutdown);
  }

  return {
    httpTarget: httpTarget === false ? undefined : httpTarget,
    cloudEventTarget: cloudEventTarget === false ? undefined : cloudEventTarget,
  };
}
