export {
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  type DecodeOptions,
  decodeArguments,
} from './arguments.ts';
export {
  type CborCodecOptions,
  cborCodec,
  createCborCodec,
} from './cbor-codec.ts';
export type { Codec } from './codec.ts';
export type { Envelope } from './envelope.ts';
export {
  type CallToSeal,
  openFrame,
  type SealOptions,
  sealFrame,
} from './frame.ts';
export { jsonCodec } from './json-codec.ts';
export {
  createKeyRing,
  type KeyRing,
  parseSigningKeys,
  type SigningKey,
} from './key-ring.ts';
export type { TaggedClass } from './tagged-class.ts';
