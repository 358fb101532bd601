import { v7 as uuidv7 } from 'uuid';
import { currentCall } from './call-context.ts';
import type { CallOptions } from './call-options.ts';
import { DispatchError, isDispatchError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { RegisteredFunction } from './registry.ts';
import {
  CALL_ID_ATTRIBUTE,
  type DispatchReceipt,
  FUNCTION_ATTRIBUTE,
  type Transport,
} from './transport.ts';
import {
  type CallToSeal,
  type Codec,
  type KeyRing,
  sealFrame,
} from './wire/index.ts';

/** What `sendCall` needs from the dispatcher. */
export interface SendSettings {
  /** Throws `CLOSED` once the dispatcher is closed. */
  assertOpen(functionName: string): void;
  /** The transport for `entry`; throws `NO_TRANSPORT`. */
  transportFor(entry: RegisteredFunction): Promise<Transport>;
  /** The signing keys for `transport`; throws `NO_SIGNING_KEY`. */
  keyRingFor(transport: Transport, entry: RegisteredFunction): KeyRing;
  readonly codec: Codec;
  readonly compressionThreshold: number | undefined;
  readonly logger: Logger;
}

/**
 * Seals one call and hands it to its transport. Rejects with
 * `NOT_SERIALIZABLE` before anything is sent when the arguments cannot be
 * encoded.
 */
export async function sendCall(
  settings: SendSettings,
  entry: RegisteredFunction,
  args: readonly unknown[],
  options: CallOptions,
): Promise<DispatchReceipt> {
  const functionName = entry.name;
  settings.assertOpen(functionName);
  const transport = await settings.transportFor(entry);
  const keyRing = settings.keyRingFor(transport, entry);

  const call = buildCall(functionName, args, options);
  const frame = seal(call, {
    codec: entry.options.codec ?? settings.codec,
    keyRing,
    compressionThreshold: settings.compressionThreshold,
  });
  const attributes = {
    ...call.metadata,
    [FUNCTION_ATTRIBUTE]: functionName,
    [CALL_ID_ATTRIBUTE]: call.callId,
  };

  const { callId } = call;
  try {
    const receipt = await transport.send({
      frame,
      functionName,
      callId,
      attributes,
      options,
    });
    settings.logger.debug(`${functionName} dispatched`, {
      callId,
      functionName,
      transport: transport.name,
      messageId: receipt.id,
    });
    return receipt;
  } catch (error) {
    throw sendFailed(error, transport, call);
  }
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
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (!TRACE_KEYS.has(key)) metadata[key] = value;
  }
  const call: CallToSeal = {
    callId: uuidv7(),
    functionName,
    args,
    createdAt,
    metadata,
  };

  const parent = currentCall();
  const traceparent = options.metadata?.traceparent ?? parent?.traceparent;
  const tracestate = options.metadata?.tracestate ?? parent?.tracestate;
  if (traceparent !== undefined) call.traceparent = traceparent;
  if (tracestate !== undefined) call.tracestate = tracestate;
  if (options.expiresIn !== undefined) {
    const runAt =
      options.at?.getTime() ?? createdAt.getTime() + (options.delay ?? 0);
    call.expiresAt = new Date(runAt + options.expiresIn);
  }
  return call;
}

function seal(
  call: CallToSeal,
  options: {
    codec: Codec;
    keyRing: KeyRing;
    compressionThreshold: number | undefined;
  },
): Uint8Array {
  const { compressionThreshold, ...rest } = options;
  try {
    return sealFrame(
      call,
      compressionThreshold === undefined
        ? rest
        : { ...rest, compressionThreshold },
    );
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
