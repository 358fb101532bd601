import { Tag } from 'cbor-x';
import { arrayBufferOf, dateOf, float16ArrayOf } from './cbor-leaves.ts';
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
import type { ClassRegistry } from './tagged-class.ts';
import {
  describeValue,
  hasPrototypeBait,
  messageOf,
  propertySegment,
  UnsupportedValue,
  withSegment,
} from './unsupported-value.ts';

type Holder = Record<string | number, unknown>;

/**
 * What cbor-x builds itself and the codec accepts as is: dates (tag 1) and
 * typed arrays (fresh copies, since copyBuffers is on).
 */
const LEAVES = new Set<object>(
  [
    Date,
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

const PENDING = Symbol('pending');

/**
 * Turns what cbor-x decoded into the argument list, in place where it
 * can. Refuses anything the `cbor` codec never writes. `budget` bounds
 * the values visited (one per input byte), so shared or cyclic input
 * cannot make the walk blow up.
 */
export function fromWire(
  decoded: unknown,
  registry: ClassRegistry,
  budget: number,
): unknown {
  return new WireReader(registry, budget).read(decoded, 0, -1);
}

class WireReader {
  readonly #registry: ClassRegistry;
  readonly #shared = new Map<number, unknown>();
  #budget: number;

  constructor(registry: ClassRegistry, budget: number) {
    this.#registry = registry;
    this.#budget = budget;
  }

  read(node: unknown, depth: number, shareId: number): unknown {
    if (typeof node !== 'object' || node === null) return node;
    if (--this.#budget < 0) {
      throw new UnsupportedValue('more values than the payload has bytes');
    }
    if (depth >= MAX_DEPTH) {
      throw new UnsupportedValue(`nesting deeper than ${MAX_DEPTH} levels`);
    }

    const prototype: unknown = Object.getPrototypeOf(node);
    if (prototype === Object.prototype) {
      this.#register(shareId, node);
      return this.#object(node as Holder, node as Holder, depth + 1);
    }
    if (prototype === Array.prototype) {
      this.#register(shareId, node);
      return this.#array(node as unknown[], depth + 1);
    }
    if (prototype === Tag.prototype) {
      return this.#tag(node as Tag, depth + 1, shareId);
    }
    if (LEAVES.has(prototype as object)) return node;
    throw new UnsupportedValue(
      `${describeValue(node)}, which the cbor codec never writes`,
    );
  }

  #register(shareId: number, value: unknown): void {
    if (shareId >= 0) this.#shared.set(shareId, value);
  }

  #object(source: Holder, out: Holder, depth: number): Holder {
    let key = '';
    try {
      for (key of Object.keys(source)) {
        const item = source[key];
        if (typeof item === 'object' && item !== null) {
          out[key] = this.read(item, depth, -1);
        } else if (out !== source) {
          out[key] = item;
        }
      }
    } catch (error) {
      throw withSegment(error, propertySegment(key));
    }
    if (hasPrototypeBait(out)) {
      throw new UnsupportedValue(
        'an object whose "constructor" property holds a "prototype"',
      );
    }
    return out;
  }

  #array(array: unknown[], depth: number): unknown[] {
    let index = 0;
    try {
      for (; index < array.length; index++) {
        const item = array[index];
        if (typeof item === 'object' && item !== null) {
          array[index] = this.read(item, depth, -1);
        }
      }
    } catch (error) {
      throw withSegment(error, `[${index}]`);
    }
    return array;
  }

  #tag(tag: Tag, depth: number, shareId: number): unknown {
    const content: unknown = tag.value;
    switch (tag.tag) {
      case SHARED_TAG:
        if (shareId >= 0)
          throw new UnsupportedValue('a shared value in a shared value');
        return this.#sharedValue(content, depth);
      case REFERENCE_TAG:
        return this.#reference(content);
      case DATE_TAG:
        return dateOf(content);
      case NEGATIVE_ZERO_TAG:
        if (content !== 0) throw new UnsupportedValue('a bad negative zero');
        return -0;
      case ARRAY_BUFFER_TAG:
        return arrayBufferOf(content);
      case FLOAT16_ARRAY_TAG:
        return float16ArrayOf(content);
      case MAP_TAG:
        return this.#map(content, depth, shareId);
      case SET_TAG:
        return this.#set(content, depth, shareId);
      case NULL_PROTOTYPE_TAG:
        return this.#nullPrototype(content, depth, shareId);
      default:
        return this.#instance(tag, depth);
    }
  }

  #sharedValue(content: unknown, depth: number): unknown {
    if (!Array.isArray(content) || content.length !== 2) {
      throw new UnsupportedValue('a shared value that is not [id, value]');
    }
    const id: unknown = content[0];
    if (!Number.isSafeInteger(id) || (id as number) < 0) {
      throw new UnsupportedValue('a shared value with a bad id');
    }
    if (this.#shared.has(id as number)) {
      throw new UnsupportedValue(`shared value ${id} defined twice`);
    }

    this.#shared.set(id as number, PENDING);
    const value = this.read(content[1], depth, id as number);
    // Containers registered themselves before their children; the rest
    // (class instances, dates, bytes) exist only now.
    if (this.#shared.get(id as number) === PENDING) {
      this.#shared.set(id as number, value);
    }
    return value;
  }

  #reference(content: unknown): unknown {
    const value = this.#shared.get(content as number);
    if (value === undefined) {
      throw new UnsupportedValue(`a reference to unknown value ${content}`);
    }
    if (value === PENDING) {
      throw new UnsupportedValue(
        `a reference into value ${content} before it could be built`,
      );
    }
    return value;
  }

  #map(
    content: unknown,
    depth: number,
    shareId: number,
  ): Map<unknown, unknown> {
    if (!Array.isArray(content) || content.length % 2 !== 0) {
      throw new UnsupportedValue('a map that is not [key, value, ...]');
    }
    const map = new Map<unknown, unknown>();
    this.#register(shareId, map);
    let index = 0;
    try {
      for (; index < content.length; index += 2) {
        const key = this.read(content[index], depth, -1);
        map.set(key, this.read(content[index + 1], depth, -1));
      }
    } catch (error) {
      throw withSegment(error, `.entries()[${index / 2}]`);
    }
    return map;
  }

  #set(content: unknown, depth: number, shareId: number): Set<unknown> {
    if (!Array.isArray(content)) {
      throw new UnsupportedValue('a set that is not an array');
    }
    const set = new Set<unknown>();
    this.#register(shareId, set);
    let index = 0;
    try {
      for (; index < content.length; index++) {
        set.add(this.read(content[index], depth, -1));
      }
    } catch (error) {
      throw withSegment(error, `.values()[${index}]`);
    }
    return set;
  }

  #nullPrototype(content: unknown, depth: number, shareId: number): Holder {
    if (Object.getPrototypeOf(content) !== Object.prototype) {
      throw new UnsupportedValue('a null-prototype object that is not a map');
    }
    const out = Object.create(null) as Holder;
    this.#register(shareId, out);
    return this.#object(content as Holder, out, depth);
  }

  #instance(tag: Tag, depth: number): unknown {
    const entry = this.#registry.byTag.get(tag.tag);
    if (entry === undefined) {
      throw new UnsupportedValue(
        `unknown CBOR tag ${tag.tag} (a class not registered with createCborCodec?)`,
      );
    }
    const name = entry.type.name || 'a registered class';
    let data: unknown;
    try {
      data = this.read(tag.value, depth, -1);
    } catch (error) {
      throw withSegment(error, ` (data of ${name})`);
    }
    try {
      return entry.decode(data);
    } catch (cause) {
      throw new UnsupportedValue(
        `${name}'s decode() threw (${messageOf(cause)})`,
        { cause },
      );
    }
  }
}
