import { DispatchError } from '../errors.ts';

/** The only `format_version` this code writes and reads. */
export const FORMAT_VERSION = 1;

/** Protobuf enum values of `dispatch.v1.Compression`. */
export const COMPRESSION_NONE = 0;
export const COMPRESSION_SNAPPY = 1;

/** A verified envelope; its arguments are still encoded. */
export interface Envelope {
  /** Always 1 for now. */
  formatVersion: number;
  /** UUIDv7 of the call. */
  callId: string;
  functionName: string;
  /** Encoded (and maybe compressed) arguments; a view into the frame. */
  arguments: Uint8Array;
  /** Name of the codec that encoded `arguments`. */
  codec: string;
  compression: 'none' | 'snappy';
  /** Size of `arguments` before compression, in bytes. */
  uncompressedSize: number;
  createdAt: Date;
  expiresAt: Date | undefined;
  traceparent: string | undefined;
  tracestate: string | undefined;
  metadata: Record<string, string>;
}

/** The fields of a decoded `dispatch.v1.Envelope` message. */
export interface EnvelopeMessage {
  formatVersion: number;
  callId: string;
  functionName: string;
  arguments: Uint8Array;
  codec: string;
  compression: number;
  uncompressedSize: number;
  createdAt: unknown;
  expiresAt?: unknown;
  traceparent: string;
  tracestate: string;
  metadata: Record<string, string>;
}

const MAX_TIME = 8.64e15;

/** Checks a decoded message and turns it into an {@link Envelope}. */
export function toEnvelope(message: EnvelopeMessage): Envelope {
  if (message.formatVersion !== FORMAT_VERSION) {
    throw malformed(`unsupported format version ${message.formatVersion}`);
  }
  if (!message.callId) throw malformed('the envelope has no call_id');
  if (!message.functionName) {
    throw malformed('the envelope has no function_name');
  }
  if (!message.codec) throw malformed('the envelope has no codec');
  if (
    message.compression !== COMPRESSION_NONE &&
    message.compression !== COMPRESSION_SNAPPY
  ) {
    throw malformed(`unknown compression ${message.compression}`);
  }

  return {
    formatVersion: message.formatVersion,
    callId: message.callId,
    functionName: message.functionName,
    arguments: message.arguments,
    codec: message.codec,
    compression: message.compression === COMPRESSION_NONE ? 'none' : 'snappy',
    uncompressedSize: message.uncompressedSize,
    createdAt: dateOf(message.createdAt, 'created_at'),
    expiresAt: Object.hasOwn(message, 'expiresAt')
      ? dateOf(message.expiresAt, 'expires_at')
      : undefined,
    traceparent: message.traceparent || undefined,
    tracestate: message.tracestate || undefined,
    metadata: { ...message.metadata },
  };
}

/** protobufjs gives int64 fields as `Long` objects (or numbers). */
function dateOf(value: unknown, field: string): Date {
  const milliseconds =
    typeof value === 'number'
      ? value
      : (value as { toNumber(): number }).toNumber();
  if (!(Math.abs(milliseconds) <= MAX_TIME)) {
    throw malformed(`${field} is not a valid time`);
  }
  return new Date(milliseconds);
}

function malformed(detail: string): DispatchError {
  return new DispatchError('MALFORMED_FRAME', `open frame: ${detail}`);
}
