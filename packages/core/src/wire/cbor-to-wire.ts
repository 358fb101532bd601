import { Tag } from 'cbor-x';
import { isNativeDate, kindOf } from './cbor-kinds.ts';
import { type Scan, scan } from './cbor-scan.ts';
import {
  ARRAY_BUFFER_TAG,
  DATE_TAG,
  FLOAT16_ARRAY_TAG,
  MAP_TAG,
  NEGATIVE_ZERO_TAG,
  NULL_PROTOTYPE_TAG,
  REFERENCE_TAG,
  SET_TAG,
  SHARED_TAG,
} from './cbor-tags.ts';
import type { ClassRegistry, TaggedClass } from './tagged-class.ts';

type Holder = Record<string, unknown>;

const NEGATIVE_ZERO = Object.freeze(new Tag(0, NEGATIVE_ZERO_TAG));

/**
 * What cbor-x should encode for `args`: the arguments themselves when it
 * writes them exactly (the common case, nothing is copied), otherwise a
 * copy where only the parts that need it are rewritten into `Tag`s.
 * Throws `UnsupportedValue` for anything the codec refuses.
 */
export function toWire(
  args: readonly unknown[],
  registry: ClassRegistry,
): unknown {
  const found = scan(args, registry);
  return found.rewrite ? new Rewriter(found, registry).value(args) : args;
}

/** Copy-on-write: a container is copied only if one of its values changes. */
class Rewriter {
  readonly #scan: Scan;
  readonly #registry: ClassRegistry;
  readonly #ids = new Map<object, number>();

  constructor(found: Scan, registry: ClassRegistry) {
    this.#scan = found;
    this.#registry = registry;
  }

  value(value: unknown): unknown {
    if (typeof value === 'number') {
      return value === 0 && 1 / value < 0 ? NEGATIVE_ZERO : value;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (!this.#scan.shared.has(value)) return this.#contents(value);

    const seen = this.#ids.get(value);
    if (seen !== undefined) return new Tag(seen, REFERENCE_TAG);
    const id = this.#ids.size;
    this.#ids.set(value, id);
    return new Tag([id, this.#contents(value)], SHARED_TAG);
  }

  #contents(value: object): unknown {
    switch (kindOf(value, this.#registry)) {
      case 'object':
        return this.#properties(value);
      case 'array':
        return this.#items(value as unknown[]);
      case 'nullPrototype':
        return new Tag(this.#properties(value), NULL_PROTOTYPE_TAG);
      case 'map':
        return new Tag(this.#entries(value as Map<unknown, unknown>), MAP_TAG);
      case 'set':
        return new Tag(this.#items([...(value as Set<unknown>)]), SET_TAG);
      case 'date':
        return isNativeDate(value as Date)
          ? value
          : new Tag((value as Date).getTime(), DATE_TAG);
      case 'arrayBuffer':
        return new Tag(Buffer.from(value as ArrayBuffer), ARRAY_BUFFER_TAG);
      case 'float16':
        return new Tag(bytesOf(value as ArrayBufferView), FLOAT16_ARRAY_TAG);
      case 'class':
        return this.#instance(value);
      default:
        return value;
    }
  }

  #properties(value: object): object {
    const source = value as Holder;
    const keys = Object.keys(source);
    let copy: Holder | undefined;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const item = source[key];
      const written = this.value(item);
      if (copy === undefined) {
        if (Object.is(written, item)) continue;
        copy = {};
        for (const before of keys.slice(0, index))
          copy[before] = source[before];
      }
      copy[key] = written;
    }
    return copy ?? value;
  }

  #items(value: unknown[]): unknown[] {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      const written = this.value(item);
      if (copy === undefined) {
        if (Object.is(written, item)) continue;
        copy = value.slice(0, index);
      }
      copy.push(written);
    }
    return copy ?? value;
  }

  #entries(value: Map<unknown, unknown>): unknown[] {
    const entries: unknown[] = [];
    for (const [key, item] of value) {
      entries.push(this.value(key), this.value(item));
    }
    return entries;
  }

  #instance(value: object): Tag {
    const prototype = Object.getPrototypeOf(value) as object;
    const entry = this.#registry.byPrototype.get(prototype) as TaggedClass;
    return new Tag(this.value(this.#scan.classData.get(value)), entry.tag);
  }
}

function bytesOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}
