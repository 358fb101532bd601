import { DispatchError } from '../errors.ts';

/**
 * Turns an argument list into bytes and back. Codecs never alter a value:
 * what they cannot carry exactly they refuse.
 */
export interface Codec {
  /** Written into the envelope; the receiver picks its codec by it. */
  readonly name: string;
  /** Throws `DispatchError` `NOT_SERIALIZABLE` naming the bad value. */
  encode(args: readonly unknown[]): Uint8Array;
  /** Throws `DispatchError` `MALFORMED_FRAME`. */
  decode(bytes: Uint8Array): unknown[];
}

/** A user class carried by the CBOR codec under its own tag. */
export interface TaggedClass<T extends object = object> {
  /** CBOR tag number, 40000 and above (lower tags are taken). */
  readonly tag: number;
  /** The class; only exact instances of it use this tag. */
  readonly type: abstract new (
    ...args: never[]
  ) => T;
  /** Returns plain, codec-encodable data for one instance. */
  encode(value: T): unknown;
  /** Builds an instance back from the data `encode` returned. */
  decode(data: unknown): T;
}

/** Options of {@link createCborCodec}. */
export interface CborCodecOptions {
  /** User classes to carry, each under its own tag. Default: none. */
  classes?: readonly TaggedClass[];
}

const notImplemented = (): never => {
  throw new DispatchError('MALFORMED_FRAME', 'wire: not implemented yet');
};

/** The default codec: CBOR (cbor-x) with exact round trips. */
export const cborCodec: Codec = {
  name: 'cbor',
  encode: notImplemented,
  decode: notImplemented,
};

/** A human-readable codec: tagged JSON with the same exactness rule. */
export const jsonCodec: Codec = {
  name: 'json',
  encode: notImplemented,
  decode: notImplemented,
};

/** Creates a CBOR codec that also carries the given user classes. */
export function createCborCodec(_options: CborCodecOptions): Codec {
  return notImplemented();
}

/** One HMAC key: `id` travels in the frame, `secret` never does. */
export interface SigningKey {
  id: string;
  /** At least 16 bytes. */
  secret: Uint8Array;
}

/** Signs frames with one key and verifies them with any known key. */
export interface KeyRing {
  readonly signingKeyId: string;
  sign(bytes: Uint8Array): Uint8Array;
  verify(keyId: string, bytes: Uint8Array, signature: Uint8Array): boolean;
}

/** Creates a key ring: the first key signs, every key verifies. */
export function createKeyRing(_keys: readonly SigningKey[]): KeyRing {
  return notImplemented();
}

/** Parses `"k2=base64secret,k1=base64secret"`, as in DISPATCH_SIGNING_KEYS. */
export function parseSigningKeys(_text: string): SigningKey[] {
  return notImplemented();
}

/** One call, as the runtime hands it to {@link sealFrame}. */
export interface CallToSeal {
  callId: string;
  functionName: string;
  args: readonly unknown[];
  createdAt: Date;
  expiresAt?: Date;
  traceparent?: string;
  tracestate?: string;
  metadata?: Record<string, string>;
}

/** Options of {@link sealFrame}. */
export interface SealOptions {
  codec: Codec;
  keyRing: KeyRing;
  /** Compress encoded arguments above this many bytes. Default 1024. */
  compressionThreshold?: number;
}

/** Encodes, compresses and signs one call into `SignedFrame` bytes. */
export function sealFrame(
  _call: CallToSeal,
  _options: SealOptions,
): Uint8Array {
  return notImplemented();
}

/** A verified envelope; its arguments are still encoded. */
export interface Envelope {
  formatVersion: number;
  callId: string;
  functionName: string;
  arguments: Uint8Array;
  codec: string;
  compression: 'none' | 'snappy';
  uncompressedSize: number;
  createdAt: Date;
  expiresAt: Date | undefined;
  traceparent: string | undefined;
  tracestate: string | undefined;
  metadata: Record<string, string>;
}

/** Verifies a `SignedFrame`, then decodes its envelope. */
export function openFrame(_frame: Uint8Array, _keyRing: KeyRing): Envelope {
  return notImplemented();
}

/** Options of {@link decodeArguments}. */
export interface DecodeOptions {
  codecs: readonly Codec[];
  /** Refuse arguments larger than this once inflated. Default 32 MiB. */
  maxUncompressedBytes?: number;
}

/** Inflates and decodes the arguments of an opened envelope. */
export function decodeArguments(
  _envelope: Envelope,
  _options: DecodeOptions,
): unknown[] {
  return notImplemented();
}
