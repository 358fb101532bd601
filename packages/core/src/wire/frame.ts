import { DispatchError } from '../errors.ts';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES } from './arguments.ts';
import type { Codec } from './codec.ts';
import { compressIfSmaller } from './compression.ts';
import {
  COMPRESSION_NONE,
  COMPRESSION_SNAPPY,
  type Envelope,
  type EnvelopeMessage,
  FORMAT_VERSION,
  toEnvelope,
} from './envelope.ts';
import type { KeyRing } from './key-ring.ts';
import { schema } from './schema.ts';

/** One call, as the runtime hands it to {@link sealFrame}. */
export interface CallToSeal {
  /** UUIDv7 created by the runtime. */
  callId: string;
  functionName: string;
  args: readonly unknown[];
  createdAt: Date;
  /** The worker drops the call after this time. */
  expiresAt?: Date;
  /** W3C trace context of the caller. */
  traceparent?: string;
  tracestate?: string;
  metadata?: Record<string, string>;
}

/** Options of {@link sealFrame}. */
export interface SealOptions {
  codec: Codec;
  keyRing: KeyRing;
  /**
   * Compress encoded arguments larger than this many bytes, when snappy
   * makes them smaller. Default 1024.
   */
  compressionThreshold?: number;
  /**
   * Refuse arguments whose encoded (uncompressed) size is over this many
   * bytes, as a receiver with the same limit would. Default 32 MiB.
   */
  maxUncompressedBytes?: number;
}

const DEFAULT_COMPRESSION_THRESHOLD = 1024;
const NO_METADATA: Record<string, string> = Object.freeze({});

/**
 * Encodes the arguments, compresses them when worth it, and signs the
 * envelope. Returns `dispatch.v1.SignedFrame` bytes.
 *
 * @throws DispatchError `NOT_SERIALIZABLE` for arguments the codec
 * refuses, `PAYLOAD_TOO_LARGE` for arguments over `maxUncompressedBytes`,
 * `INVALID_OPTIONS` for a call without id, name or valid dates.
 */
export function sealFrame(call: CallToSeal, options: SealOptions): Uint8Array {
  checkCall(call);
  const encoded = encodeArguments(call, options.codec);
  checkSize(call, encoded.length, options.maxUncompressedBytes);
  const threshold =
    options.compressionThreshold ?? DEFAULT_COMPRESSION_THRESHOLD;
  const compressed =
    encoded.length > threshold ? compressIfSmaller(encoded) : undefined;

  const message: Partial<EnvelopeMessage> = {
    formatVersion: FORMAT_VERSION,
    callId: call.callId,
    functionName: call.functionName,
    arguments: compressed ?? encoded,
    codec: options.codec.name,
    compression: compressed ? COMPRESSION_SNAPPY : COMPRESSION_NONE,
    uncompressedSize: encoded.length,
    createdAt: call.createdAt.getTime(),
    traceparent: call.traceparent ?? '',
    tracestate: call.tracestate ?? '',
    metadata: call.metadata ?? NO_METADATA,
  };
  if (call.expiresAt) message.expiresAt = call.expiresAt.getTime();

  const { envelope: envelopeType, signedFrame } = schema();
  const envelope = envelopeType.encode(message).finish();
  const { keyRing } = options;
  return signedFrame
    .encode({
      envelope,
      keyId: keyRing.signingKeyId,
      signature: keyRing.sign(envelope),
    })
    .finish();
}

function encodeArguments(call: CallToSeal, codec: Codec): Uint8Array {
  try {
    return codec.encode(call.args);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new DispatchError(
      'NOT_SERIALIZABLE',
      `dispatch ${call.functionName} (call ${call.callId}): ${message}`,
      { functionName: call.functionName, callId: call.callId, cause },
    );
  }
}

// The receiver refuses what inflates past its limit, and acknowledges the
// frame (retrying cannot help): refusing here keeps the call from being
// reported as sent and then lost.
function checkSize(
  call: CallToSeal,
  size: number,
  limit = DEFAULT_MAX_UNCOMPRESSED_BYTES,
): void {
  if (size <= limit) return;
  throw new DispatchError(
    'PAYLOAD_TOO_LARGE',
    `dispatch ${call.functionName} (call ${call.callId}): the arguments ` +
      `encode to ${size} bytes, over the limit of ${limit} bytes ` +
      '(maxUncompressedBytes) that a receiver enforces',
    { functionName: call.functionName, callId: call.callId },
  );
}

function checkCall(call: CallToSeal): void {
  const problem = callProblem(call);
  if (problem) {
    throw new DispatchError(
      'INVALID_OPTIONS',
      `seal frame of ${call.functionName || '(unnamed)'}: ${problem}`,
      { functionName: call.functionName, callId: call.callId },
    );
  }
}

// Protobuf strings are UTF-8: a lone surrogate could only be written as a
// replacement character, so it is refused rather than changed.
function callProblem(call: CallToSeal): string | undefined {
  if (!call.callId || typeof call.callId !== 'string') return 'no call id';
  if (!call.functionName || typeof call.functionName !== 'string') {
    return 'no function name';
  }
  if (!isValidDate(call.createdAt)) return 'createdAt is not a valid Date';
  if (call.expiresAt !== undefined && !isValidDate(call.expiresAt)) {
    return 'expiresAt is not a valid Date';
  }
  const texts = [
    call.callId,
    call.functionName,
    call.traceparent ?? '',
    call.tracestate ?? '',
  ];
  if (!texts.every(isText)) {
    return 'the call id, function name and trace context must be strings without lone surrogates';
  }
  return metadataProblem(call.metadata);
}

function metadataProblem(
  metadata: Record<string, string> | undefined,
): string | undefined {
  for (const key in metadata) {
    if (!Object.hasOwn(metadata, key)) continue;
    const value = metadata[key];
    if (typeof value !== 'string') return 'metadata values must be strings';
    if (!key.isWellFormed() || !value.isWellFormed()) {
      return `metadata "${key}" has a lone surrogate`;
    }
  }
  return undefined;
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.isWellFormed();
}

function isValidDate(value: unknown): boolean {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** The fields of a decoded `dispatch.v1.SignedFrame`. */
interface SignedFrameMessage {
  envelope: Uint8Array;
  keyId: string;
  signature: Uint8Array;
}

/**
 * Verifies a `SignedFrame` and decodes its envelope. The MAC is checked
 * before any byte of the envelope is decoded.
 *
 * @throws DispatchError `BAD_SIGNATURE` (unknown key id, wrong MAC),
 * `MALFORMED_FRAME` (not a SignedFrame, bad envelope, unknown version).
 */
export function openFrame(frame: Uint8Array, keyRing: KeyRing): Envelope {
  const { envelope: envelopeType, signedFrame } = schema();
  const signed = decodeOrThrow<SignedFrameMessage>(signedFrame, frame, 'frame');
  if (signed.envelope.length === 0 || signed.signature.length === 0) {
    throw new DispatchError(
      'MALFORMED_FRAME',
      'open frame: not a signed frame (no envelope or no signature)',
    );
  }
  if (!keyRing.verify(signed.keyId, signed.envelope, signed.signature)) {
    throw badSignature(signed.keyId, keyRing);
  }

  const message = decodeOrThrow<EnvelopeMessage>(
    envelopeType,
    signed.envelope,
    'envelope',
  );
  return toEnvelope(message);
}

function decodeOrThrow<T>(
  type: { decode(bytes: Uint8Array): unknown },
  bytes: Uint8Array,
  what: string,
): T {
  try {
    return type.decode(bytes) as T;
  } catch (cause) {
    throw new DispatchError(
      'MALFORMED_FRAME',
      `open frame: the ${what} is not valid protobuf`,
      { cause },
    );
  }
}

function badSignature(keyId: string, keyRing: KeyRing): DispatchError {
  const shown = JSON.stringify(keyId.slice(0, 64));
  // keyIds is read defensively: a hand-written KeyRing may lack it.
  const known = keyRing.keyIds?.includes(keyId);
  const detail =
    known === undefined
      ? `does not verify with key ${shown} (unknown key or wrong MAC)`
      : known
        ? `signature does not match key ${shown}`
        : `signed with unknown key ${shown}`;
  return new DispatchError('BAD_SIGNATURE', `open frame: ${detail}`);
}
