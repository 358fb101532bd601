import {
  type Codec,
  createCborCodec,
  createKeyRing,
  jsonCodec,
  type KeyRing,
  openFrame,
  type SigningKey,
  sealFrame,
} from '../../src/wire/index.ts';
import { CASES, moneyClass, type VectorCase } from './cases.ts';
import { toModel } from './model.ts';

/** The fixed key every vector is signed with: bytes 0x00 to 0x1f. */
export const KEY: SigningKey = {
  id: 'golden-2026',
  secret: Uint8Array.from({ length: 32 }, (_, index) => index),
};

/** Fixed envelope fields shared by every vector. */
export const CALL: { callId: string; createdAt: Date } = {
  callId: '01940000-0000-7000-8000-000000000001',
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
};

export const keyRing: KeyRing = createKeyRing([KEY]);

/** The codecs a receiver of the vectors accepts. */
export const codecs: readonly Codec[] = [
  createCborCodec({ classes: [moneyClass] }),
  jsonCodec,
];

const codecByName = { cbor: codecs[0] as Codec, json: jsonCodec };

/** One frame of one case, as stored in `<case>.json`. */
export interface Variant {
  codec: 'cbor' | 'json';
  /** `compressionThreshold` given to sealFrame. */
  compressionThreshold: number;
  /** What the frame actually uses (snappy only when it shrinks). */
  compression: 'none' | 'snappy';
  /** The codec's output before compression. */
  argumentsBase64: string;
  /** The same, as text, for the json codec. */
  argumentsText?: string;
  /** The whole SignedFrame. */
  frameBase64: string;
}

/** The content of one `<case>.json`. */
export interface VectorFile {
  name: string;
  description: string;
  key: { id: string; secretHex: string };
  call: Record<string, unknown>;
  /** The decoded arguments, described as in README.md. */
  model: unknown;
  variants: Variant[];
}

/** Two thresholds: never compress, and compress whenever it helps. */
const THRESHOLDS = [Number.MAX_SAFE_INTEGER, 0];

/** Builds the vector file of one case, frame bytes included. */
export function buildVector(vector: VectorCase): VectorFile {
  const call = {
    ...CALL,
    ...vector.envelope,
    functionName: `vectors.${vector.name}`,
    args: vector.args,
  };
  const variants = vector.codecs.flatMap((name) =>
    THRESHOLDS.map((compressionThreshold) =>
      variant(call, name, compressionThreshold),
    ),
  );
  const { args: _, ...fields } = call;
  return {
    name: vector.name,
    description: vector.description,
    key: { id: KEY.id, secretHex: Buffer.from(KEY.secret).toString('hex') },
    call: JSON.parse(JSON.stringify(fields)) as Record<string, unknown>,
    model: toModel(vector.args),
    variants,
  };
}

function variant(
  call: Parameters<typeof sealFrame>[0],
  name: 'cbor' | 'json',
  compressionThreshold: number,
): Variant {
  const codec = codecByName[name];
  const frame = sealFrame(call, { codec, keyRing, compressionThreshold });
  const encoded = Buffer.from(codec.encode(call.args));
  return {
    codec: name,
    compressionThreshold,
    compression: openFrame(frame, keyRing).compression,
    argumentsBase64: encoded.toString('base64'),
    ...(name === 'json' ? { argumentsText: encoded.toString() } : {}),
    frameBase64: Buffer.from(frame).toString('base64'),
  };
}

/** Every case. */
export function buildVectors(): VectorFile[] {
  return CASES.map(buildVector);
}
