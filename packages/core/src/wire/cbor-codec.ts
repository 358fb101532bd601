import { Decoder, Encoder } from 'cbor-x';
import { fromWire } from './cbor-from-wire.ts';
import { needsFullRead } from './cbor-heads.ts';
import { checkFirstText } from './cbor-scan.ts';
import { toWire } from './cbor-to-wire.ts';
import {
  asBuffer,
  type Codec,
  malformedArguments,
  notSerializable,
} from './codec.ts';
import { mayHoldLoneSurrogate } from './lone-surrogate-trace.ts';
import {
  type ClassRegistry,
  createClassRegistry,
  type TaggedClass,
} from './tagged-class.ts';

/** Options of {@link createCborCodec}. */
export interface CborCodecOptions {
  /** User classes to carry, each under its own tag. Default: none. */
  classes?: readonly TaggedClass[];
}

/**
 * cbor-x calls `decodeKey` for every map key it turns into an object
 * property when `keyMap` is set (record keys too). Refusing `__proto__`
 * here is the only way to see it: cbor-x would otherwise rename it to
 * `__proto_` silently. A `constructor` key is noted, for the full reader
 * to check what it holds.
 */
class PropertyGuardDecoder extends Decoder {
  sawConstructorKey = false;

  decodeKey(key: unknown): string {
    if (typeof key !== 'string') {
      throw new TypeError(`object key of type ${typeof key}`);
    }
    if (key === '__proto__') throw new TypeError('object key "__proto__"');
    if (key === 'constructor') this.sawConstructorKey = true;
    return key;
  }
}

// Records write each object shape's keys once per payload (smaller, and
// decoded by generated readers). No state is kept between payloads.
const encoder = new Encoder({ useRecords: true, tagUint8Array: true });
const decoder = new PropertyGuardDecoder({
  useRecords: true,
  mapsAsObjects: true,
  copyBuffers: true,
  keyMap: {},
});

function createCodec(registry: ClassRegistry): Codec {
  return {
    name: 'cbor',
    encode(args: readonly unknown[]): Uint8Array {
      let wire: unknown;
      try {
        wire = toWire(args, registry);
      } catch (error) {
        throw notSerializable('cbor', error);
      }
      const bytes: Buffer = encoder.encode(wire);
      if (mayHoldLoneSurrogate(bytes)) refuseLoneSurrogates(args, registry);
      return bytes;
    },
    decode(bytes: Uint8Array): unknown[] {
      try {
        decoder.sawConstructorKey = false;
        const decoded: unknown = decoder.decode(asBuffer(bytes));
        // Most payloads are plain data: then what cbor-x built is the
        // answer, and the full reader's walk over every value is skipped.
        const plain = !decoder.sawConstructorKey && !needsFullRead(bytes);
        const args = plain
          ? decoded
          : fromWire(decoded, registry, bytes.length);
        if (!Array.isArray(args)) {
          throw new TypeError('the payload is not an argument list');
        }
        return args;
      } catch (error) {
        throw malformedArguments('cbor', error);
      }
    },
  };
}

/** Checks the strings the first scan left alone; throws for a lone surrogate. */
function refuseLoneSurrogates(
  args: readonly unknown[],
  registry: ClassRegistry,
): void {
  try {
    checkFirstText(args, registry);
  } catch (error) {
    throw notSerializable('cbor', error);
  }
}

/**
 * The default codec: CBOR (cbor-x). Carries `Date` (invalid ones too),
 * `BigInt`, `Map`, `Set`, typed arrays, `Buffer`, `ArrayBuffer`,
 * `undefined`, `NaN`, `-0`, null-prototype objects, shared references and
 * cycles exactly; refuses everything else with `NOT_SERIALIZABLE`.
 */
export const cborCodec: Codec = createCodec(createClassRegistry([]));

/**
 * Creates a CBOR codec (named `cbor`, like {@link cborCodec}) that also
 * carries the given user classes under their tags. Sender and receiver
 * must register the same classes.
 *
 * @example
 * const codec = createCborCodec({ classes: [moneyClass] });
 */
export function createCborCodec(options: CborCodecOptions): Codec {
  return createCodec(createClassRegistry(options.classes ?? []));
}
