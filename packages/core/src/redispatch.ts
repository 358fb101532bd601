import { DispatchError, isDispatchError } from './errors.ts';
import type { Logger } from './logger.ts';
import {
  callOptionsOf,
  type RedispatchOptions,
  validateRedispatchOptions,
} from './redispatch-options.ts';
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
  decodeArguments,
  type Envelope,
  type KeyRing,
  openFrame,
  sealFrame,
} from './wire/index.ts';

/** What `redispatchFrame` needs from the dispatcher. */
export interface RedispatchSettings {
  /** Throws `CLOSED` once the dispatcher is closed. */
  assertOpen(functionName: string): void;
  /** Keys to verify the frame with; `undefined` when none is configured. */
  verifyingKeyRing(): KeyRing | undefined;
  lookup(name: string): RegisteredFunction | undefined;
  codecsFor(entry: RegisteredFunction): readonly Codec[];
  transportFor(entry: RegisteredFunction): Transport | Promise<Transport>;
  keyRingFor(transport: Transport, entry: RegisteredFunction): KeyRing;
  readonly compressionThreshold: number | undefined;
  readonly maxUncompressedBytes: number | undefined;
  readonly logger: Logger;
}

/**
 * Sends a frame again, typically a dead letter, keeping its function,
 * arguments and call id, so an idempotency store still knows the call.
 * The frame must verify with the dispatcher's keys. A function not
 * registered here goes to the dispatcher's own transport.
 */
export async function redispatchFrame(
  settings: RedispatchSettings,
  frame: Uint8Array,
  options: RedispatchOptions = {},
): Promise<DispatchReceipt> {
  const checked = validateRedispatchOptions(options);
  const envelope = open(settings, frame);
  const { callId, functionName } = envelope;
  settings.assertOpen(functionName);

  const entry = settings.lookup(functionName) ?? unregistered(functionName);
  const transport = await settings.transportFor(entry);
  const { expiresIn } = checked;
  const outgoing =
    expiresIn === undefined
      ? unchanged(envelope, frame)
      : reseal(
          settings,
          { entry, transport, envelope },
          {
            ...checked,
            expiresIn,
          },
        );

  try {
    const receipt = await transport.send({
      frame: outgoing,
      functionName,
      callId,
      attributes: attributesOf(envelope),
      options: callOptionsOf(checked),
    });
    settings.logger.debug(`${functionName} redispatched`, {
      callId,
      functionName,
      transport: transport.name,
      messageId: receipt.id,
    });
    return receipt;
  } catch (error) {
    throw sendFailed(error, transport, envelope);
  }
}

function open(settings: RedispatchSettings, frame: Uint8Array): Envelope {
  const keyRing = settings.verifyingKeyRing();
  if (keyRing === undefined) {
    throw new DispatchError(
      'NO_SIGNING_KEY',
      'redispatch: no signing key is configured, so the frame cannot be ' +
        'verified; set DISPATCH_SIGNING_KEYS or the `signing` option',
    );
  }
  try {
    return openFrame(frame, keyRing);
  } catch (error) {
    const code = isDispatchError(error) ? error.code : 'MALFORMED_FRAME';
    const reason = error instanceof Error ? error.message : String(error);
    throw new DispatchError(code, `redispatch: ${reason}`, { cause: error });
  }
}

/** The original bytes, unless their expiry has passed. */
function unchanged(envelope: Envelope, frame: Uint8Array): Uint8Array {
  const { expiresAt, callId, functionName } = envelope;
  if (expiresAt !== undefined && expiresAt.getTime() < Date.now()) {
    throw new DispatchError(
      'EXPIRED',
      `redispatch ${functionName}: call ${callId} expired at ` +
        `${expiresAt.toISOString()}; pass expiresIn (ms, or false for ` +
        'none) to give it a new expiry',
      { functionName, callId },
    );
  }
  return frame;
}

interface ResealTarget {
  entry: RegisteredFunction;
  transport: Transport;
  envelope: Envelope;
}

/** Decodes the arguments and seals them again with a new expiry. */
function reseal(
  settings: RedispatchSettings,
  target: ResealTarget,
  options: RedispatchOptions & { expiresIn: number | false },
): Uint8Array {
  const { entry, transport, envelope } = target;
  const codecs = settings.codecsFor(entry);
  const limit = settings.maxUncompressedBytes;
  const args = decodeArguments(envelope, {
    codecs,
    ...(limit === undefined ? {} : { maxUncompressedBytes: limit }),
  });
  // The codec is known: decodeArguments found it by this name.
  const codec = codecs.find((known) => known.name === envelope.codec) as Codec;

  const call: CallToSeal = {
    callId: envelope.callId,
    functionName: envelope.functionName,
    args,
    createdAt: envelope.createdAt,
    metadata: envelope.metadata,
  };
  if (envelope.traceparent !== undefined) {
    call.traceparent = envelope.traceparent;
  }
  if (envelope.tracestate !== undefined) call.tracestate = envelope.tracestate;
  if (options.expiresIn !== false) {
    call.expiresAt = new Date(runAt(options) + options.expiresIn);
  }

  const threshold = settings.compressionThreshold;
  return sealFrame(call, {
    codec,
    keyRing: settings.keyRingFor(transport, entry),
    ...(threshold === undefined ? {} : { compressionThreshold: threshold }),
    ...(limit === undefined ? {} : { maxUncompressedBytes: limit }),
  });
}

function runAt(options: RedispatchOptions): number {
  return options.at?.getTime() ?? Date.now() + (options.delay ?? 0);
}

function attributesOf(envelope: Envelope): Record<string, string> {
  return {
    ...envelope.metadata,
    [FUNCTION_ATTRIBUTE]: envelope.functionName,
    [CALL_ID_ATTRIBUTE]: envelope.callId,
  };
}

/** Stands in for a function this dispatcher does not know. */
function unregistered(name: string): RegisteredFunction {
  return { name, body: () => {}, options: {} };
}

function sendFailed(
  error: unknown,
  transport: Transport,
  envelope: Envelope,
): DispatchError {
  const { functionName, callId } = envelope;
  const code = isDispatchError(error) ? error.code : 'TRANSPORT_FAILED';
  const reason = error instanceof Error ? error.message : String(error);
  return new DispatchError(
    code,
    `redispatch ${functionName} (call ${callId}): transport ` +
      `${transport.name} failed to send (${reason})`,
    { functionName, callId, cause: error },
  );
}
