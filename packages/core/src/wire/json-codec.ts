import { stringify, unflatten } from 'devalue';
import { Float16 } from './cbor-kinds.ts';
import {
  asBuffer,
  type Codec,
  malformedArguments,
  notSerializable,
} from './codec.ts';
import { findPath } from './find-path.ts';
import { checkJsonNodes } from './json-nodes.ts';
import {
  describeValue,
  hasPrototypeBait,
  UnsupportedValue,
} from './unsupported-value.ts';

const TYPED_ARRAYS = [
  Uint8Array,
  Uint8ClampedArray,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float16,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** Exact prototypes devalue carries exactly; subclasses are refused. */
const CARRIED = new Set<unknown>([
  Object.prototype,
  null,
  Array.prototype,
  Date.prototype,
  Map.prototype,
  Set.prototype,
  ArrayBuffer.prototype,
  Buffer.prototype,
  ...TYPED_ARRAYS.flatMap((type) => (type ? [type.prototype] : [])),
]);

/** Thrown by the guard reducer; `value` lets the path be found. */
class RefusedValue extends Error {
  readonly value: unknown;
  constructor(value: unknown, reason: string) {
    super(reason);
    this.value = value;
  }
}

// devalue calls every reducer, in order, on every value it meets once.
// The guard comes first and only throws; the others rewrite.
const reducers = {
  guard(value: unknown): undefined {
    if (typeof value === 'function' || typeof value === 'symbol') {
      throw new RefusedValue(value, describeValue(value));
    }
    if (typeof value !== 'object' || value === null) return undefined;
    const prototype: unknown = Object.getPrototypeOf(value);
    if (!CARRIED.has(prototype)) {
      throw new RefusedValue(value, describeValue(value));
    }
    if (prototype === Object.prototype || prototype === null) {
      checkPlainObject(value);
    }
    return undefined;
  },
  // A Buffer would come back as a Uint8Array.
  Buffer(value: unknown): [string] | undefined {
    if (!Buffer.isBuffer(value)) return undefined;
    return [value.toString('base64')];
  },
  // devalue would send a view's whole ArrayBuffer; send the visible bytes.
  view(value: unknown): ArrayBufferView | undefined {
    if (!ArrayBuffer.isView(value) || Buffer.isBuffer(value)) return undefined;
    if (value.byteLength === value.buffer.byteLength) return undefined;
    return (value as Uint8Array).slice();
  },
};

const revivers = {
  Buffer(value: unknown): Buffer {
    if (!Array.isArray(value) || typeof value[0] !== 'string') {
      throw new TypeError('a Buffer that is not [base64]');
    }
    return Buffer.from(value[0], 'base64');
  },
  view(value: unknown): unknown {
    if (!ArrayBuffer.isView(value)) throw new TypeError('a bad typed array');
    return value;
  },
};

function checkPlainObject(value: object): void {
  const keys = Object.keys(value);
  if (Object.getOwnPropertyNames(value).length !== keys.length) {
    throw new RefusedValue(value, 'an object with a non-enumerable property');
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    throw new RefusedValue(value, 'an object with a symbol-keyed property');
  }
  if (hasPrototypeBait(value)) {
    throw new RefusedValue(
      value,
      'an object whose "constructor" property holds a "prototype" (prototype pollution bait)',
    );
  }
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** JSON escapes keep lone surrogates, which UTF-8 cannot hold. */
function escapeLoneSurrogates(text: string): string {
  if (text.isWellFormed()) return text;
  return text.replace(
    LONE_SURROGATE,
    (unit) => `\\u${unit.charCodeAt(0).toString(16)}`,
  );
}

function refusal(args: readonly unknown[], error: unknown): unknown {
  if (error instanceof RefusedValue) {
    const path = findPath(args, error.value) ?? 'args';
    const refused = new UnsupportedValue(error.message);
    refused.segments.push(path.slice('args'.length));
    return refused;
  }
  const path = (error as { path?: unknown }).path;
  if (error instanceof Error && typeof path === 'string') {
    const refused = new UnsupportedValue(error.message, { cause: error });
    refused.segments.push(path);
    return refused;
  }
  return error;
}

/**
 * A human-readable codec: devalue's JSON (a flat array of nodes, so
 * shared references and cycles survive). Carries what {@link cborCodec}
 * carries except registered classes, plus sparse arrays and lone
 * surrogates.
 */
export const jsonCodec: Codec = {
  name: 'json',
  encode(args: readonly unknown[]): Uint8Array {
    let text: string;
    try {
      text = stringify(args, reducers);
    } catch (error) {
      throw notSerializable('json', refusal(args, error));
    }
    return Buffer.from(escapeLoneSurrogates(text), 'utf8');
  },
  decode(bytes: Uint8Array): unknown[] {
    try {
      const parsed: unknown = JSON.parse(utf8.decode(asBuffer(bytes)));
      checkJsonNodes(parsed);
      const value: unknown = unflatten(parsed as number, revivers);
      if (!Array.isArray(value)) {
        throw new TypeError('the payload is not an argument list');
      }
      return value;
    } catch (error) {
      throw malformedArguments('json', error);
    }
  },
};
