import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildVector,
  codecs,
  type VectorFile,
} from '../../test/vectors/build.ts';
import { CASES } from '../../test/vectors/cases.ts';
import { toModel } from '../../test/vectors/model.ts';
import { createKeyRing, decodeArguments, openFrame } from './index.ts';
import { exactDifference } from './test-support/exact-equal.ts';

const folder = new URL('../../test/vectors/', import.meta.url);

function stored(name: string): VectorFile {
  const text = readFileSync(new URL(`${name}.json`, folder), 'utf8');
  return JSON.parse(text) as VectorFile;
}

describe('the golden vectors in test/vectors', () => {
  it('are exactly the cases of cases.ts', () => {
    const files = readdirSync(folder).filter((file) => file.endsWith('.json'));

    expect(files.sort()).toEqual(
      CASES.map((vector) => `${vector.name}.json`).sort(),
    );
  });

  describe.each(CASES)('$name', (vector) => {
    const file = stored(vector.name);

    it('are what sealing the same call writes today, byte for byte', () => {
      expect(buildVector(vector)).toEqual(file);
    });

    it.each(file.variants)(
      'open to the stored values ($codec, threshold $compressionThreshold)',
      (variant) => {
        const keyRing = createKeyRing([
          { id: file.key.id, secret: Buffer.from(file.key.secretHex, 'hex') },
        ]);
        const frame = Buffer.from(variant.frameBase64, 'base64');

        const envelope = openFrame(frame, keyRing);
        const args = decodeArguments(envelope, { codecs });

        expect(envelope.functionName).toBe(file.call.functionName);
        expect(envelope.createdAt.toISOString()).toBe(file.call.createdAt);
        expect(envelope.compression).toBe(variant.compression);
        expect(toModel(args)).toEqual(file.model);
        expect(exactDifference(args, vector.args)).toBeUndefined();
      },
    );
  });

  it('include frames that really are compressed', () => {
    const compressed = CASES.flatMap(
      (vector) => stored(vector.name).variants,
    ).filter((variant) => variant.compression === 'snappy');

    expect(compressed.map((variant) => variant.codec).sort()).toContain('cbor');
    expect(compressed.map((variant) => variant.codec)).toContain('json');
  });
});
