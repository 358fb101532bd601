import { currentCall } from './call-context.ts';
import { createCallId } from './call-id.ts';
import type { CallOptions } from './call-options.ts';
import { DispatchError, isDispatchError } from './errors.ts';
import { type Logger, silentLogger } from './logger.ts';
import type { RegisteredFunction } from './registry.ts';
import {
  CALL_ID_ATTRIBUTE,
  type DispatchReceipt,
  FUNCTION_ATTRIBUTE,
  type OutgoingMessage,
  type Transport,
} from './transport.ts';
import {
  type CallToSeal,
  type Codec,
  type KeyRing,
  type SealOptions,
  sealFrame,
} from './wire/index.ts';

/** What `sendCall` needs from the dispatcher. */
export interface SendSettings {
  /** Throws `CLOSED` once the dispatcher is closed. */
  assertOpen(functionName: string): void;
  /**
   * The transport for `entry` (a promise while one is being loaded from
   * the environment); throws `NO_TRANSPORT`.
   */
  transportFor(entry: RegisteredFunction): Transport | Promise<Transport>;
  /** The signing keys for `transport`; throws `NO_SIGNING_KEY`. */
  keyRingFor(transport: Transport, entry: RegisteredFunction): KeyRing;
  readonly codec: Codec;
  readonly compressionThreshold: number | undefined;
  /** Largest encoded arguments to send; the receiver's default when unset. */
  readonly maxUncompressedBytes: number | undefined;
  readonly logger: Logger;
}

/**
 * Seals one call and hands it to its transport. Rejects before anything
 * is sent with `NOT_SERIALIZABLE` when the arguments cannot be encoded,
 * `PAYLOAD_TOO_LARGE` when they encode past `maxUncompressedBytes`. Every call of a dispatched function comes through here, so it
 * adds no promise of its own beyond the transport's but one.
 */
export function sendCall(
  settings: SendSettings,
  entry: RegisteredFunction,
  args: readonly unknown[],
  options: CallOptions,
): Promise<DispatchReceipt> {
  try {
    settings.assertOpen(entry.name);
    const transport = settings.transportFor(entry);
    if (transport instanceof Promise) {
      return transport.then((loaded) =>
        sendWith(settings, loaded, entry, args, options),
      );
    }
    return sendWith(settings, transport, entry, args, options);
  } catch (error) {
    return Promise.reject(error);
  }
}

function sendWith(
  settings: SendSettings,
  transport: Transport,
  entry: RegisteredFunction,
  args: readonly unknown[],
  options: CallOptions,
): Promise<DispatchReceipt> {
  const keyRing = settings.keyRingFor(transport, entry);
  const call = buildCall(entry.name, args, options);
  const frame = seal(call, sealOptions(settings, entry, keyRing));
  const message: OutgoingMessage = {
    frame,
    functionName: call.functionName,
    callId: call.callId,
    attributes: attributesOf(call),
    options,
  };

  let sending: Promise<DispatchReceipt>;
  try {
    sending = transport.send(message);
  } catch (error) {
    return Promise.reject(sendFailed(error, transport, call));
  }
  const { logger } = settings;
  return sending.then(
    (receipt) => {
      if (logger !== silentLogger) logSent(logger, transport, call, receipt);
      return receipt;
    },
    (error: unknown) => {
      throw sendFailed(error, transport, call);
    },
  );
}

function sealOptions(
  settings: SendSettings,
  entry: RegisteredFunction,
  keyRing: KeyRing,
): SealOptions {
  const codec = entry.options.codec ?? settings.codec;
  const options: SealOptions = { codec, keyRing };
  const { compressionThreshold, maxUncompressedBytes } = settings;
  if (compressionThreshold !== undefined) {
    options.compressionThreshold = compressionThreshold;
  }
  if (maxUncompressedBytes !== undefined) {
    options.maxUncompressedBytes = maxUncompressedBytes;
  }
  return options;
}

function logSent(
  logger: Logger,
  transport: Transport,
  call: CallToSeal,
  receipt: DispatchReceipt,
): void {
  logger.debug(`${call.functionName} dispatched`, {
    callId: call.callId,
    functionName: call.functionName,
    transport: transport.name,
    messageId: receipt.id,
  });
}

/** The call's metadata, function name and call id, as plain text. */
function attributesOf(call: CallToSeal): Record<string, string> {
  const attributes = {
    [FUNCTION_ATTRIBUTE]: call.functionName,
    [CALL_ID_ATTRIBUTE]: call.callId,
  };
  return call.metadata === undefined
    ? attributes
    : { ...call.metadata, ...attributes };
}

const TRACE_KEYS = new Set(['traceparent', 'tracestate']);

/**
 * The envelope fields of one call. Trace context comes from the call's
 * `metadata`, else from the call this one is dispatched from.
 */
function buildCall(
  functionName: string,
  args: readonly unknown[],
  options: CallOptions,
): CallToSeal {
  const createdAt = new Date();
  const call: CallToSeal = {
    callId: createCallId(),
    functionName,
    args,
    createdAt,
  };
  const given = options.metadata;
  if (given !== undefined) {
    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(given)) {
      if (!TRACE_KEYS.has(key)) metadata[key] = value;
    }
    call.metadata = metadata;
  }

  const parent = currentCall();
  const traceparent = given?.traceparent ?? parent?.traceparent;
  const tracestate = given?.tracestate ?? parent?.tracestate;
  if (traceparent !== undefined) call.traceparent = traceparent;
  if (tracestate !== undefined) call.tracestate = tracestate;
  if (options.expiresIn !== undefined) {
    const runAt =
      options.at?.getTime() ?? createdAt.getTime() + (options.delay ?? 0);
    call.expiresAt = new Date(runAt + options.expiresIn);
  }
  return call;
}

function seal(call: CallToSeal, options: SealOptions): Uint8Array {
  try {
    return sealFrame(call, options);
  } catch (error) {
    throw withCall(error, call, 'NOT_SERIALIZABLE');
  }
}

/**
 * Adds the function and call id to an error that lacks them, keeping its
 * code; anything that is not a `DispatchError` gets `fallback`.
 */
function withCall(
  error: unknown,
  call: CallToSeal,
  fallback: DispatchError['code'],
): DispatchError {
  const context = {
    functionName: call.functionName,
    callId: call.callId,
    cause: error,
  };
  if (isDispatchError(error) && error.functionName !== undefined) return error;
  const code = isDispatchError(error) ? error.code : fallback;
  const reason = error instanceof Error ? error.message : String(error);
  return new DispatchError(
    code,
    `dispatch ${call.functionName} (call ${call.callId}): ${reason}`,
    context,
  );
}

function sendFailed(
  error: unknown,
  transport: Transport,
  call: CallToSeal,
): DispatchError {
  if (isDispatchError(error)) return withCall(error, call, error.code);
  const reason = error instanceof Error ? error.message : String(error);
  return new DispatchError(
    'TRANSPORT_FAILED',
    `dispatch ${call.functionName} (call ${call.callId}): transport ` +
      `${transport.name} failed to send (${reason})`,
    { functionName: call.functionName, callId: call.callId, cause: error },
  );
}
