import { DispatchError, type DispatchErrorCode } from '../errors.ts';
import type { Codec } from './codec.ts';
import { inflate, snappyDeclaredLength } from './compression.ts';
import type { Envelope } from './envelope.ts';

/** Options of {@link decodeArguments}. */
export interface DecodeOptions {
  /** The codecs this receiver accepts, looked up by envelope `codec`. */
  codecs: readonly Codec[];
  /** Refuse arguments larger than this once inflated. Default 32 MiB. */
  maxUncompressedBytes?: number;
}

/**
 * The largest encoded arguments, in bytes, a receiver accepts and a caller
 * sends unless `maxUncompressedBytes` says otherwise: 32 MiB.
 */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES: number = 32 * 1024 * 1024;

/**
 * Inflates and decodes the arguments of an opened envelope. Sizes are
 * checked before anything is inflated: both the envelope's
 * `uncompressedSize` and snappy's own length header.
 *
 * @throws DispatchError `PAYLOAD_TOO_LARGE` over the limit;
 * `MALFORMED_FRAME` for an unknown codec, bad compression, a size
 * mismatch, or arguments the codec cannot decode.
 */
export function decodeArguments(
  envelope: Envelope,
  options: DecodeOptions,
): unknown[] {
  const fail = failure(envelope);
  const limit = options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  if (envelope.uncompressedSize > limit) {
    throw fail(
      'PAYLOAD_TOO_LARGE',
      `declares ${envelope.uncompressedSize} bytes of arguments, over the limit of ${limit}`,
    );
  }
  const codec = options.codecs.find((known) => known.name === envelope.codec);
  if (codec === undefined) {
    const known = options.codecs.map((known) => known.name).join(', ');
    throw fail(
      'MALFORMED_FRAME',
      `uses codec ${JSON.stringify(envelope.codec)}, not one of: ${known}`,
    );
  }

  const bytes =
    envelope.compression === 'snappy'
      ? inflateWithin(envelope, limit, fail)
      : envelope.arguments;
  if (bytes.length !== envelope.uncompressedSize) {
    throw fail(
      'MALFORMED_FRAME',
      `has ${bytes.length} bytes of arguments, declared ${envelope.uncompressedSize}`,
    );
  }

  let args: unknown;
  try {
    args = codec.decode(bytes);
  } catch (cause) {
    throw fail('MALFORMED_FRAME', messageOf(cause), cause);
  }
  if (!Array.isArray(args)) {
    throw fail('MALFORMED_FRAME', `codec ${codec.name} returned no array`);
  }
  return args;
}

type Fail = (
  code: DispatchErrorCode,
  detail: string,
  cause?: unknown,
) => DispatchError;

function failure(envelope: Envelope): Fail {
  const { functionName, callId } = envelope;
  return (code, detail, cause) =>
    new DispatchError(
      code,
      `decode arguments of ${functionName} (call ${callId}): ${detail}`,
      { functionName, callId, cause },
    );
}

function inflateWithin(envelope: Envelope, limit: number, fail: Fail): Buffer {
  const declared = snappyDeclaredLength(envelope.arguments);
  if (declared === undefined) {
    throw fail('MALFORMED_FRAME', 'snappy data has no valid length header');
  }
  if (declared > limit) {
    throw fail(
      'PAYLOAD_TOO_LARGE',
      `snappy data declares ${declared} bytes, over the limit of ${limit}`,
    );
  }
  if (declared !== envelope.uncompressedSize) {
    throw fail(
      'MALFORMED_FRAME',
      `snappy data declares ${declared} bytes, the envelope ${envelope.uncompressedSize}`,
    );
  }
  try {
    return inflate(envelope.arguments);
  } catch (cause) {
    throw fail('MALFORMED_FRAME', 'snappy data is corrupt', cause);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
