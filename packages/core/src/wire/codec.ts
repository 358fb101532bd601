import { DispatchError } from '../errors.ts';
import { pathOf, UnsupportedValue } from './unsupported-value.ts';

/**
 * Turns an argument list into bytes and back. A codec never alters a
 * value: what it cannot carry exactly, it refuses.
 */
export interface Codec {
  /** Written into the envelope; the receiver picks its codec by it. */
  readonly name: string;
  /** Throws `DispatchError` `NOT_SERIALIZABLE`, naming the bad value. */
  encode(args: readonly unknown[]): Uint8Array;
  /** Throws `DispatchError` `MALFORMED_FRAME`. */
  decode(bytes: Uint8Array): unknown[];
}

/** The `NOT_SERIALIZABLE` error of a codec, naming path and reason. */
export function notSerializable(codec: string, error: unknown): DispatchError {
  if (error instanceof UnsupportedValue) {
    return new DispatchError(
      'NOT_SERIALIZABLE',
      `${codec} codec cannot carry ${pathOf(error)}: ${error.message}`,
      { cause: error.cause ?? error },
    );
  }
  return new DispatchError(
    'NOT_SERIALIZABLE',
    `${codec} codec cannot encode the arguments: ${messageText(error)}`,
    { cause: error },
  );
}

/** The `MALFORMED_FRAME` error of a codec that could not decode. */
export function malformedArguments(
  codec: string,
  error: unknown,
): DispatchError {
  const where =
    error instanceof UnsupportedValue && error.segments.length > 0
      ? ` at ${pathOf(error)}`
      : '';
  return new DispatchError(
    'MALFORMED_FRAME',
    `${codec} codec cannot decode the arguments${where}: ${messageText(error)}`,
    { cause: error },
  );
}

function messageText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A `Buffer` view of `bytes`, without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
