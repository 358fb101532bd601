import { cloudEvent, http } from '@google-cloud/functions-framework';
import { createCloudEventHandler } from './cloud-event-handler.ts';
import { createHttpHandler } from './http-handler.ts';
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
 * dispatcher and logger.
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

  if (httpTarget !== false) http(httpTarget, createHttpHandler(shared));
  if (cloudEventTarget !== false) {
    cloudEvent(cloudEventTarget, createCloudEventHandler(shared));
  }

  return {
    httpTarget: httpTarget === false ? undefined : httpTarget,
    cloudEventTarget: cloudEventTarget === false ? undefined : cloudEventTarget,
  };
}
