import type { DispatchFunction } from './dispatch-function.ts';
import { validateDispatchOptions } from './dispatch-options.ts';
import {
  createDispatchedFunction,
  type DispatchedFunction,
} from './dispatched-function.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  type DispatcherOptions,
  idempotencyOptions,
  validateDispatcherOptions,
} from './dispatcher-options.ts';
import { DispatchError } from './errors.ts';
import { type ExecutionSettings, executeFrame } from './execute-frame.ts';
import { type Logger, silentLogger } from './logger.ts';
import type { Delivery, ExecutionOutcome } from './outcome.ts';
import { type RedispatchSettings, redispatchFrame } from './redispatch.ts';
import type { RedispatchOptions } from './redispatch-options.ts';
import {
  createRegistry,
  type RegisteredFunction,
  type Registry,
  validateFunctionName,
} from './registry.ts';
import { type SendSettings, sendCall } from './send-call.ts';
import type { AnyFunction } from './serializable.ts';
import type { DispatchReceipt } from './transport.ts';
import {
  createTransportSource,
  type TransportSource,
} from './transport-source.ts';
import { type Codec, cborCodec, jsonCodec } from './wire/index.ts';

/** Per-delivery options of `execute`, for receivers. */
export interface ExecuteOptions {
  /**
   * Where to log this delivery's outcome when the dispatcher has no
   * `logger` of its own. Default: nowhere.
   */
  logger?: Logger;
}

/** An isolated set of dispatched functions with its own configuration. */
export interface Dispatcher {
  /** Registers a function in this dispatcher. */
  readonly dispatch: DispatchFunction;
  /**
   * Verifies, decodes and runs one delivered frame; resolves with what
   * the service should do with it. Never rejects.
   */
  execute(
    frame: Uint8Array,
    delivery: Delivery,
    options?: ExecuteOptions,
  ): Promise<ExecutionOutcome>;
  /**
   * Sends a signed frame again, such as a dead letter, through its
   * function's transport (the dispatcher's for a function not registered
   * here). The frame must verify with this dispatcher's keys; function,
   * arguments and call id stay, so an idempotency store recognises the
   * call. Rejects with `BAD_SIGNATURE`, `MALFORMED_FRAME`, `EXPIRED` (pass
   * `expiresIn`), or what the transport rejects with.
   *
   * @example
   * const [message] = await deadLetters.pull();
   * await dispatcher.redispatch(message.data, { expiresIn: 60_000 });
   */
  redispatch(
    frame: Uint8Array,
    options?: RedispatchOptions,
  ): Promise<DispatchReceipt>;
  /** Replaces the options; registered functions stay. */
  configure(options: DispatcherOptions): void;
  /** Resolves once every transport in use accepted what it was given. */
  flush(): Promise<void>;
  /**
   * Closes every transport in use (an in-process transport first runs
   * its pending calls). Later calls reject with `CLOSED`.
   */
  close(): Promise<void>;
}

/**
 * Creates an isolated dispatcher, for tests or for several configurations
 * in one process. `dispatch()` and `execute()` exported by this package
 * use a default one instead.
 *
 * @example
 * const transport = createInProcessTransport();
 * const dispatcher = createDispatcher({ transport });
 * const greet = dispatcher.dispatch('greet', async (name: string) => {});
 * await greet('Ada');
 * await transport.drain();
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  return buildDispatcher(options).dispatcher;
}

/** A dispatcher, and a `configure` whose errors name the caller's API. */
export interface DispatcherHandle {
  readonly dispatcher: Dispatcher;
  /** `configure`, with `operation` (e.g. `configureDispatch`) in errors. */
  configureAs(options: DispatcherOptions, operation: string): void;
}

/** Builds a dispatcher; the default one names `configureDispatch`. */
export function buildDispatcher(options: DispatcherOptions): DispatcherHandle {
  const current = validateDispatcherOptions(options, 'createDispatcher');
  const state: DispatcherState = {
    current,
    closed: false,
    registry: createRegistry(),
    transports: createTransportSource({
      options: () => state.current,
      executor: {
        execute: (frame, delivery) => runFrame(state, frame, delivery, true),
      },
    }),
    send: undefined,
    execution: [],
  };
  state.transports.adopt(current.transport);

  const configureAs = (next: DispatcherOptions, operation: string): void =>
    reconfigure(state, next, operation);
  const dispatcher: Dispatcher = {
    dispatch: ((...input: unknown[]) =>
      registerFunction(state, input)) as DispatchFunction,
    execute: (frame, delivery, executeOptions = {}) =>
      runFrame(state, frame, delivery, false, executeOptions.logger),
    redispatch: (frame, redispatchOptions) =>
      redispatchFrame(redispatchSettings(state), frame, redispatchOptions),
    configure: (next) => configureAs(next, 'dispatcher.configure'),
    flush: () => state.transports.flush(),
    async close() {
      await state.transports.close();
      state.closed = true;
    },
  };
  return { dispatcher, configureAs };
}

function reconfigure(
  state: DispatcherState,
  next: DispatcherOptions,
  operation: string,
): void {
  if (state.closed) {
    throw new DispatchError('CLOSED', `${operation}: the dispatcher is closed`);
  }
  const options = validateDispatcherOptions(next, operation);
  // Adopt first: an in-process transport taken by another dispatcher
  // throws, and the old options must then stay in force.
  state.transports.adopt(options.transport);
  state.current = options;
  state.send = undefined;
  state.transports.reset();
}

/** The mutable parts of one dispatcher. */
interface DispatcherState {
  current: DispatcherOptions;
  closed: boolean;
  readonly registry: Registry;
  readonly transports: TransportSource;
  /** Built on the first call after each configure, not per call. */
  send: SendSettings | undefined;
  /** Execution settings by logger, also built once per configure. */
  execution: CachedExecution[];
}

interface CachedExecution {
  readonly local: boolean;
  readonly logger: Logger;
  readonly settings: ExecutionSettings;
}

// Receivers pass one logger each; a few cover every real program.
const MAX_CACHED_EXECUTIONS = 4;

function registerFunction(
  state: DispatcherState,
  input: unknown[],
): DispatchedFunction<unknown[]> {
  const entry = register(input);
  state.transports.adopt(entry.options.transport);
  state.registry.add(entry);
  return createDispatchedFunction(entry, (...call) =>
    sendCall(sendSettings(state), ...call),
  );
}

function sendSettings(state: DispatcherState): SendSettings {
  state.send ??= buildSendSettings(state);
  return state.send;
}

function buildSendSettings(state: DispatcherState): SendSettings {
  const { current, transports } = state;
  return {
    assertOpen: (functionName) => {
      if (state.closed) throw closedError(functionName);
    },
    transportFor: (entry) => transports.transportFor(entry),
    keyRingFor: (transport, entry) => transports.keyRingFor(transport, entry),
    codec: current.codec ?? cborCodec,
    compressionThreshold: current.compressionThreshold,
    maxUncompressedBytes: current.maxUncompressedBytes,
    logger: current.logger ?? silentLogger,
  };
}

function redispatchSettings(state: DispatcherState): RedispatchSettings {
  const send = sendSettings(state);
  const execution = executionSettings(state, true);
  return {
    ...send,
    verifyingKeyRing: execution.keyRing,
    lookup: execution.lookup,
    codecsFor: execution.codecsFor,
  };
}

function runFrame(
  state: DispatcherState,
  frame: Uint8Array,
  delivery: Delivery,
  local: boolean,
  fallbackLogger: Logger = silentLogger,
): Promise<ExecutionOutcome> {
  const logger = state.current.logger ?? fallbackLogger;
  return executeFrame(executionFor(state, local, logger), frame, delivery);
}

function executionFor(
  state: DispatcherState,
  local: boolean,
  logger: Logger,
): ExecutionSettings {
  const cached = state.execution.find(
    (entry) => entry.local === local && entry.logger === logger,
  );
  if (cached !== undefined) return cached.settings;

  const settings = executionSettings(state, local);
  settings.logger = logger;
  if (state.execution.length >= MAX_CACHED_EXECUTIONS) state.execution.shift();
  state.execution.push({ local, logger, settings });
  return settings;
}

function register(input: unknown[]): RegisteredFunction {
  const [first, second, third] = input;
  const named = typeof first !== 'function';
  const body = named ? second : first;
  if (typeof body !== 'function') {
    throw new DispatchError(
      'INVALID_OPTIONS',
      'dispatch: expected dispatch(name, fn, options?) or dispatch(fn, options?)',
    );
  }
  const name = validateFunctionName(named ? first : body.name);
  const options = validateDispatchOptions(named ? third : second, name);
  return { name, body: body as AnyFunction, options };
}

function executionSettings(
  state: DispatcherState,
  local: boolean,
): ExecutionSettings {
  const { current: options, registry, transports } = state;
  const accepted = options.codecs ?? [cborCodec, jsonCodec];
  const base =
    options.codec === undefined ? accepted : [options.codec, ...accepted];
  return {
    keyRing: () => transports.verifyingKeyRing(local),
    lookup: (name) => registry.get(name),
    codecsFor: (entry): readonly Codec[] =>
      entry.options.codec === undefined ? base : [entry.options.codec, ...base],
    maxUncompressedBytes: options.maxUncompressedBytes,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    logger: silentLogger,
    deadLetter: options.deadLetter,
    idempotency: idempotencyOptions(options.idempotency),
  };
}

function closedError(functionName: string): DispatchError {
  return new DispatchError(
    'CLOSED',
    `dispatch ${functionName}: the dispatcher is closed`,
    { functionName },
  );
}
