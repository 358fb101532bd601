import { Tag } from 'cbor-x';
import {
  ARRAY_BUFFER_TAG,
  DATE_TAG,
  FLOAT16_ARRAY_TAG,
  MAP_TAG,
  MAX_DEPTH,
  NEGATIVE_ZERO_TAG,
  NULL_PROTOTYPE_TAG,
  REFERENCE_TAG,
  SET_TAG,
  SHARED_TAG,
} from './cbor-tags.ts';
import type { ClassRegistry, TaggedClass } from './tagged-class.ts';
import {
  describeValue,
  hasPrototypeBait,
  isWellFormed,
  propertySegment,
  UnsupportedValue,
  withSegment,
} from './unsupported-value.ts';

type Holder = Record<string | number, unknown>;

/** Where an object was first met, so a second meeting can share it. */
interface Sighting {
  readonly holder: Holder;
  readonly key: string | number;
  node: unknown;
  shareId: number;
  done: boolean;
  classInstance: boolean;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const NEGATIVE_ZERO = Object.freeze(new Tag(0, NEGATIVE_ZERO_TAG));

/** Typed arrays cbor-x writes itself, under their RFC 8746 tags. */
const NATIVE_BYTES = new Set<object>(
  [
    Buffer,
    Uint8Array,
    Uint8ClampedArray,
    Int8Array,
    Uint16Array,
    Int16Array,
    Uint32Array,
    Int32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
  ].map((type) => type.prototype),
);

/**
 * Rewrites an argument list into a tree cbor-x encodes exactly: plain
 * objects, arrays, primitives, byte strings, typed arrays and `Tag`s for
 * everything else. Throws {@link UnsupportedValue} naming what is refused.
 */
export function toWire(
  args: readonly unknown[],
  registry: ClassRegistry,
): unknown {
  const root: Holder = {};
  new WireWriter(registry).write(root, 'args', args, 0);
  return root.args;
}

class WireWriter {
  readonly #registry: ClassRegistry;
  readonly #sightings = new Map<object, Sighting>();
  #nextShareId = 0;

  constructor(registry: ClassRegistry) {
    this.#registry = registry;
  }

  write(holder: Holder, key: string | number, value: unknown, depth: number) {
    switch (typeof value) {
      case 'string':
        if (!isWellFormed(value)) {
          throw new UnsupportedValue(
            'a string with a lone surrogate (CBOR text must be valid UTF-8)',
          );
        }
        holder[key] = value;
        return;
      case 'number':
        holder[key] = value === 0 && 1 / value < 0 ? NEGATIVE_ZERO : value;
        return;
      case 'boolean':
      case 'undefined':
      case 'bigint':
        holder[key] = value;
        return;
      case 'object':
        if (value === null) holder[key] = null;
        else this.#writeObject(holder, key, value, depth);
        return;
      default:
        throw new UnsupportedValue(describeValue(value));
    }
  }

  #writeObject(
    holder: Holder,
    key: string | number,
    value: object,
    depth: number,
  ) {
    const seen = this.#sightings.get(value);
    if (seen !== undefined) {
      holder[key] = this.#reference(seen);
      return;
    }
    if (depth >= MAX_DEPTH) {
      throw new UnsupportedValue(`nesting deeper than ${MAX_DEPTH} levels`);
    }

    const sighting: Sighting = {
      holder,
      key,
      node: undefined,
      shareId: -1,
      done: false,
      classInstance: false,
    };
    this.#sightings.set(value, sighting);
    const node = this.#build(value, sighting, depth + 1);

    sighting.node = node;
    sighting.done = true;
    holder[key] = sighting.shareId < 0 ? node : shared(sighting);
  }

  #reference(seen: Sighting): Tag {
    if (!seen.done && seen.classInstance) {
      throw new UnsupportedValue(
        'a reference back to a registered class instance from inside its own data',
      );
    }
    if (seen.shareId < 0) {
      seen.shareId = this.#nextShareId++;
      // Finished values are wrapped in place; unfinished ones (cycles)
      // are wrapped when they finish.
      if (seen.done) seen.holder[seen.key] = shared(seen);
    }
    return new Tag(seen.shareId, REFERENCE_TAG);
  }

  #build(value: object, sighting: Sighting, depth: number): unknown {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === Object.prototype) return this.#object(value, depth);
    if (prototype === Array.prototype) {
      return this.#array(value as unknown[], depth);
    }
    if (prototype === null) {
      return new Tag(this.#object(value, depth), NULL_PROTOTYPE_TAG);
    }
    if (NATIVE_BYTES.has(prototype as object)) return value;
    if (prototype === Date.prototype) {
      return new Tag((value as Date).getTime(), DATE_TAG);
    }
    if (prototype === Map.prototype) {
      return this.#map(value as Map<unknown, unknown>, depth);
    }
    if (prototype === Set.prototype) {
      return this.#set(value as Set<unknown>, depth);
    }
    if (prototype === ArrayBuffer.prototype) {
      return new Tag(Buffer.from(value as ArrayBuffer), ARRAY_BUFFER_TAG);
    }
    if (prototype === Float16Array.prototype && LITTLE_ENDIAN) {
      return new Tag(bytesOf(value as Float16Array), FLOAT16_ARRAY_TAG);
    }

    const entry = this.#registry.byPrototype.get(prototype as object);
    if (entry === undefined) throw new UnsupportedValue(unregistered(value));
    sighting.classInstance = true;
    return this.#instance(value, entry, depth);
  }

  #object(value: object, depth: number): Holder {
    const keys = Object.keys(value);
    checkOwnKeys(value, keys.length);
    const source = value as Holder;
    const out: Holder = {};
    let key = '';
    try {
      for (key of keys) {
        checkKey(key);
        this.write(out, key, source[key], depth);
      }
    } catch (error) {
      throw withSegment(error, propertySegment(key));
    }
    return out;
  }

  #array(value: unknown[], depth: number): unknown[] {
    const out: unknown[] = [];
    let index = 0;
    try {
      for (; index < value.length; index++) {
        const item = value[index];
        if (item === undefined && !(index in value)) {
          throw new UnsupportedValue('a hole in a sparse array');
        }
        this.write(out as unknown as Holder, index, item, depth);
      }
    } catch (error) {
      throw withSegment(error, `[${index}]`);
    }
    return out;
  }

  #map(value: Map<unknown, unknown>, depth: number): Tag {
    const entries: unknown[] = [];
    const holder = entries as unknown as Holder;
    let index = 0;
    let segment = '';
    try {
      for (const [key, item] of value) {
        segment = `.keys()[${index}]`;
        this.write(holder, index * 2, key, depth);
        segment = `.values()[${index}]`;
        this.write(holder, index * 2 + 1, item, depth);
        index++;
      }
    } catch (error) {
      throw withSegment(error, segment);
    }
    return new Tag(entries, MAP_TAG);
  }

  #set(value: Set<unknown>, depth: number): Tag {
    const items: unknown[] = [];
    let index = 0;
    try {
      for (const item of value) {
        this.write(items as unknown as Holder, index, item, depth);
        index++;
      }
    } catch (error) {
      throw withSegment(error, `.values()[${index}]`);
    }
    return new Tag(items, SET_TAG);
  }

  #instance(value: object, entry: TaggedClass, depth: number): Tag {
    const name = entry.type.name || 'a registered class';
    let data: unknown;
    try {
      data = entry.encode(value);
    } catch (cause) {
      throw new UnsupportedValue(`${name}'s encode() threw`, { cause });
    }
    const tag = new Tag(undefined, entry.tag);
    try {
      this.write(tag as unknown as Holder, 'value', data, depth);
    } catch (error) {
      throw withSegment(error, ` (data of ${name})`);
    }
    return tag;
  }
}

function shared(sighting: Sighting): Tag {
  return new Tag([sighting.shareId, sighting.node], SHARED_TAG);
}

function bytesOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

function checkOwnKeys(value: object, enumerableCount: number): void {
  if (Object.getOwnPropertyNames(value).length !== enumerableCount) {
    throw new UnsupportedValue('an object with a non-enumerable property');
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    throw new UnsupportedValue('an object with a symbol-keyed property');
  }
  if (hasPrototypeBait(value)) {
    throw new UnsupportedValue(
      'an object whose "constructor" property holds a "prototype" (prototype pollution bait)',
    );
  }
}

function checkKey(key: string): void {
  if (key === '__proto__') {
    throw new UnsupportedValue(
      'an own property named "__proto__" (it would replace the prototype of a copy)',
    );
  }
  if (!isWellFormed(key)) {
    throw new UnsupportedValue('a property name with a lone surrogate');
  }
}

function unregistered(value: object): string {
  const what = describeValue(value);
  return `${what}, which is not a registered class (see createCborCodec)`;
}
