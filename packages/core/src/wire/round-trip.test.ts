import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDispatchError } from '../errors.ts';
import {
  type Codec,
  cborCodec,
  createKeyRing,
  decodeArguments,
  jsonCodec,
  openFrame,
  sealFrame,
} from './index.ts';
import { argumentLists } from './test-support/arbitraries.ts';
import { exactDifference } from './test-support/exact-equal.ts';
import { expectsRefusal } from './test-support/refusals.ts';

const keyRing = createKeyRing([{ id: 'k1', secret: new Uint8Array(32) }]);
const codecs = [cborCodec, jsonCodec];

/** seal -> open -> decode, or the NOT_SERIALIZABLE error of sealing. */
function travel(args: unknown[], codec: Codec, threshold: number) {
  let frame: Uint8Array;
  try {
    frame = sealFrame(
      { callId: 'c', functionName: 'f', args, createdAt: new Date(0) },
      { codec, keyRing, compressionThreshold: threshold },
    );
  } catch (error) {
    if (isDispatchError(error, 'NOT_SERIALIZABLE')) return { refused: error };
    throw error;
  }
  const envelope = openFrame(frame, keyRing);
  const decoded = decodeArguments(envelope, { codecs });
  return { decoded, compression: envelope.compression };
}

describe.each(codecs)('the $name codec through a signed frame', (codec) => {
  const name = codec.name as 'cbor' | 'json';

  it.each([
    ['always compressed when it helps', 0],
    ['never compressed', Number.MAX_SAFE_INTEGER],
  ])(
    'returns every argument list exactly or refuses it (%s)',
    (_, threshold) => {
      let compressed = 0;
      fc.assert(
        fc.property(argumentLists({ loneSurrogates: true }), (args) => {
          const result = travel(args, codec, threshold);
          expect(result.refused !== undefined).toBe(expectsRefusal(name, args));
          if (result.decoded) {
            expect(exactDifference(result.decoded, args)).toBeUndefined();
          }
          if (result.compression === 'snappy') compressed++;
        }),
        { numRuns: 400, seed: 20_260_101 },
      );
      expect(compressed > 0).toBe(threshold === 0);
    },
  );

  it('keeps shared references shared and cycles cyclic', () => {
    const shared = { name: 'shared' };
    const cycle: Record<string, unknown> = { name: 'cycle' };
    cycle.self = cycle;
    const map = new Map<unknown, unknown>([[shared, cycle]]);
    const args = [shared, [shared, map], new Set([cycle, map]), map];

    const { decoded } = travel(args, codec, 0);

    expect(exactDifference(decoded, args)).toBeUndefined();
    const [first, [second]] = decoded as [object, [object]];
    expect(first).toBe(second);
  });

  it('returns a Buffer as a Buffer and a Uint8Array as a Uint8Array', () => {
    const { decoded } = travel(
      [Buffer.from('buffer'), new Uint8Array([1, 2])],
      codec,
      0,
    );

    const [buffer, bytes] = decoded as [unknown, unknown];
    expect(Buffer.isBuffer(buffer)).toBe(true);
    expect(Buffer.isBuffer(bytes)).toBe(false);
    expect(bytes).toBeInstanceOf(Uint8Array);
  });

  it('nests 900 levels deep', () => {
    let value: unknown = 'bottom';
    for (let level = 0; level < 900; level++) {
      value = level % 2 ? [value] : { level: value };
    }

    const { decoded } = travel([value], codec, 0);

    expect(exactDifference(decoded, [value])).toBeUndefined();
  });
});
