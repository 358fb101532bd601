import fc from 'fast-check';
import snappy from 'snappy';
import { afterAll, describe, expect, it } from 'vitest';
import { isDispatchError } from '../errors.ts';
import {
  cborCodec,
  createKeyRing,
  decodeArguments,
  jsonCodec,
  openFrame,
  sealFrame,
} from './index.ts';
import { schema } from './schema.ts';
import { sealRaw } from './test-support/raw-frame.ts';

const SEED = 424_242;
const keyRing = createKeyRing([{ id: 'k1', secret: new Uint8Array(32) }]);
const codecs = [cborCodec, jsonCodec];
const prototypeKeys = Reflect.ownKeys(Object.prototype);

const SAMPLES: unknown[][] = [
  [],
  [1, 'two', null],
  [{ user: { id: 'u1', tags: ['a', 'b'] }, when: new Date(0) }],
  [new Map<unknown, unknown>([[1, new Set(['x', -0])]]), 10n ** 30n, undefined],
  [Buffer.from('bytes'), new Float32Array([1, 2]), new ArrayBuffer(4)],
  [
    Array.from({ length: 80 }, (_, index) => ({
      index,
      name: 'repeated name',
    })),
  ],
];

/** Bytes that mean something to the decoders, to splice into payloads. */
const FRAGMENTS = [
  [0xd9, 0x9c, 0x40], // shared value tag
  [0xd9, 0x9c, 0x41], // reference tag
  [0xd9, 0x9c, 0x46], // null-prototype object tag
  [0xd9, 0xdf, 0xff], // cbor-x record definition
  [0xd8, 0x1c],
  [0xd8, 0x1d], // cbor-x value sharing
  [0xd9, 0x01, 0x03], // cbor-x Map
  [0x9a, 0xff, 0xff, 0xff, 0xff], // a huge array
  [0x69, ...Buffer.from('__proto__')],
  [...Buffer.from('{"__proto__":')],
  [...Buffer.from('["null","constructor",')],
].map((bytes) => Uint8Array.from(bytes));

function signedEnvelope(frame: Uint8Array): Buffer {
  const { envelope } = schema().signedFrame.decode(frame) as unknown as {
    envelope: Uint8Array;
  };
  return Buffer.from(envelope);
}

const ALLOWED_CODES = ['BAD_SIGNATURE', 'MALFORMED_FRAME', 'PAYLOAD_TOO_LARGE'];

/** Opens and decodes `frame`; any failure must be a typed DispatchError. */
function receive(frame: Uint8Array): string {
  try {
    const args = decodeArguments(openFrame(frame, keyRing), { codecs });
    expect(Array.isArray(args)).toBe(true);
    return 'decoded';
  } catch (error) {
    if (!isDispatchError(error) || !ALLOWED_CODES.includes(error.code)) {
      throw error;
    }
    return error.code;
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip'), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert'),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('splice'),
    at: fc.nat(),
    fragment: fc.constantFrom(...FRAGMENTS),
  }),
  fc.record({
    kind: fc.constant('delete'),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 16 }),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(original: Uint8Array, change: Mutation): Buffer {
  const bytes = Buffer.from(original);
  const at = bytes.length === 0 ? 0 : change.at % bytes.length;
  switch (change.kind) {
    case 'flip':
      if (bytes.length > 0) bytes[at] = (bytes[at] ?? 0) ^ (1 << change.bit);
      return bytes;
    case 'truncate':
      return bytes.subarray(0, at);
    case 'delete':
      return Buffer.concat([
        bytes.subarray(0, at),
        bytes.subarray(at + change.length),
      ]);
    default: {
      const inserted = 'bytes' in change ? change.bytes : change.fragment;
      return Buffer.concat([
        bytes.subarray(0, at),
        inserted,
        bytes.subarray(at),
      ]);
    }
  }
}

const frames = codecs.flatMap((codec) =>
  SAMPLES.flatMap((args) =>
    [0, Number.MAX_SAFE_INTEGER].map((compressionThreshold) =>
      sealFrame(
        { callId: 'c1', functionName: 'f', args, createdAt: new Date(0) },
        { codec, keyRing, compressionThreshold },
      ),
    ),
  ),
);

const payloads = codecs.flatMap((codec) =>
  SAMPLES.map((args) => ({ codec: codec.name, bytes: codec.encode(args) })),
);

afterAll(() => {
  expect(Reflect.ownKeys(Object.prototype)).toEqual(prototypeKeys);
});

describe('fuzzed input (seeded, 11000 cases)', () => {
  it('turns 3000 random byte strings into typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(receive(bytes)).not.toBe('decoded');
      }),
      { numRuns: 3000, seed: SEED },
    );
  });

  it('turns 3000 damaged frames into typed errors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...frames), mutation, (frame, change) => {
        const damaged = mutate(frame, change);
        // Damage outside the signed envelope (an extra unknown field) is
        // harmless; anything that reaches the envelope must be refused.
        if (receive(damaged) === 'decoded') {
          expect(signedEnvelope(damaged).equals(signedEnvelope(frame))).toBe(
            true,
          );
        }
      }),
      { numRuns: 3000, seed: SEED },
    );
  });

  it('decodes or refuses 5000 damaged payloads signed with the right key', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.constantFrom(...payloads),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        ({ codec, bytes }, changes, compress) => {
          const damaged = changes.reduce<Uint8Array>(mutate, bytes);
          const stored = compress
            ? mutate(snappy.compressSync(damaged), changes[0] as Mutation)
            : damaged;
          const frame = sealRaw(
            {
              codec,
              arguments: stored,
              compression: compress ? 'snappy' : 'none',
              uncompressedSize: damaged.length,
            },
            keyRing,
          );
          const result = receive(frame);
          outcomes.set(result, (outcomes.get(result) ?? 0) + 1);
          expect(result).not.toBe('BAD_SIGNATURE');
        },
      ),
      { numRuns: 5000, seed: SEED },
    );
    expect(outcomes.get('MALFORMED_FRAME')).toBeGreaterThan(1000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
