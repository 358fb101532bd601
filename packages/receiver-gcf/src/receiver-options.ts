import {
  type Delivery,
  type Dispatcher,
  type Environment,
  type ExecutionOutcome,
  execute,
  type KeyRing,
  type Logger,
  type SigningOptions,
} from '@cloud-functions-dispatch/core';
import { createInFlight, type InFlight } from './in-flight.ts';
import { createJsonLogger } from './json-logger.ts';
import {
  createOidcVerifier,
  type OidcOptions,
  type OidcVerifier,
} from './oidc.ts';
import { checkSigningKeys } from './signing-check.ts';

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
  /**
   * The keys the dispatcher verifies with, when they are configured in
   * code rather than in `DISPATCH_SIGNING_KEYS`. The receiver only checks
   * at start-up that there is one (and logs their ids at debug); the
   * dispatcher verifies with its own. Default: none.
   */
  signing?: SigningOptions | KeyRing;
  /**
   * Start without any signing key: a development run. Then every frame is
   * answered "no-signing-key" (retry), and one warning is logged. Default:
   * `DISPATCH_DEVELOPMENT=1` (or `true`) in `env`; otherwise creating the
   * receiver throws `NO_SIGNING_KEY`.
   */
  allowMissingKeys?: boolean;
  /**
   * Where `DISPATCH_SIGNING_KEYS` and `DISPATCH_DEVELOPMENT` are read.
   * Default `process.env`.
   */
  env?: Environment;
  /**
   * Verify the Google-signed OIDC token of each HTTP request (Pub/Sub push
   * with an authenticated subscription, Cloud Tasks with `oidcToken`) and
   * answer 401 without it. Default: off (leave it to the platform's IAM).
   * The CloudEvent handler ignores it: Eventarc authenticates those.
   */
  oidc?: OidcOptions;
}

/** The options with their defaults filled in, shared by the handlers. */
export interface Receiver {
  dispatcher: Executor;
  logger: Logger;
  inFlight: InFlight;
  oidc: OidcVerifier | undefined;
}

/**
 * Fills in the defaults of {@link ReceiverOptions} and checks the keys.
 * Throws `NO_SIGNING_KEY` (see `allowMissingKeys`) or `INVALID_OPTIONS`.
 */
export function resolveReceiver(options: ReceiverOptions): Receiver {
  const logger = options.logger ?? createJsonLogger();
  checkSigningKeys(options, logger);

  const dispatcher = options.dispatcher ?? { execute };
  const oidc = options.oidc && createOidcVerifier(options.oidc);
  return { dispatcher, logger, inFlight: createInFlight(), oidc };
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
