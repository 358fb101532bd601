import { isNativeDate, kindOf } from './cbor-kinds.ts';
import { MAX_DEPTH } from './cbor-tags.ts';
import type { ClassRegistry, TaggedClass } from './tagged-class.ts';
import {
  describeValue,
  propertySegment,
  UnsupportedValue,
  withSegment,
} from './unsupported-value.ts';

/** What a scan found out about an argument list. */
export interface Scan {
  /** Objects met more than once: shared references and cycles. */
  readonly shared: ReadonlySet<object>;
  /** What each registered class instance's `encode` returned. */
  readonly classData: ReadonlyMap<object, unknown>;
  /** False when cbor-x can write the arguments as they are. */
  readonly rewrite: boolean;
}

type Holder = Record<string, unknown>;

/**
 * Values at the start of a scan whose strings are not checked for lone
 * surrogates as they are met: a check costs a call per string, which
 * small and medium argument lists are spared. The codec looks for traces
 * of a lone surrogate in its output instead ({@link mayHoldLoneSurrogate})
 * and, when it sees one, checks those values with {@link checkFirstText}.
 * Large lists check the rest as they go, since their binary bytes often
 * look like such a trace.
 */
export const UNCHECKED_VALUES = 2048;

// A small integer, so the count compares as one (Infinity would not).
const NO_LIMIT = 2 ** 30;

/**
 * Checks that every value can be carried exactly, and finds what must be
 * rewritten before cbor-x sees it. Throws {@link UnsupportedValue}, whose
 * path segments are added on the way out.
 */
export function scan(args: readonly unknown[], registry: ClassRegistry): Scan {
  const scanner = new Scanner(registry, UNCHECKED_VALUES, NO_LIMIT);
  scanner.value(args, 0);
  return scanner;
}

/**
 * Scans the first {@link UNCHECKED_VALUES} values again, in the same
 * order, checking their strings: throws for a lone surrogate among them.
 */
export function checkFirstText(
  args: readonly unknown[],
  registry: ClassRegistry,
): void {
  new Scanner(registry, 0, UNCHECKED_VALUES).value(args, 0);
}

const NONE: ReadonlySet<object> = new Set();
const NO_DATA: ReadonlyMap<object, unknown> = new Map();

// Most argument lists share nothing and hold no class instances: those
// collections are only created once something needs them.
class Scanner implements Scan {
  rewrite = false;
  readonly #visited = new Set<object>();
  #shared: Set<object> | undefined;
  #classData: Map<object, unknown> | undefined;
  #encoding: Set<object> | undefined;
  readonly #registry: ClassRegistry;
  /** Strings of values from this count on are checked as they are met. */
  readonly #checkTextFrom: number;
  /** Values past this count are not looked at. */
  readonly #stopAfter: number;
  #values = 0;

  constructor(
    registry: ClassRegistry,
    checkTextFrom: number,
    stopAfter: number,
  ) {
    this.#registry = registry;
    this.#checkTextFrom = checkTextFrom;
    this.#stopAfter = stopAfter;
  }

  get shared(): ReadonlySet<object> {
    return this.#shared ?? NONE;
  }

  get classData(): ReadonlyMap<object, unknown> {
    return this.#classData ?? NO_DATA;
  }

  value(value: unknown, depth: number): void {
    const count = ++this.#values;
    if (count > this.#stopAfter) return;
    switch (typeof value) {
      case 'string':
        if (count > this.#checkTextFrom && !value.isWellFormed()) {
          throw new UnsupportedValue(
            'a string with a lone surrogate (CBOR text must be valid UTF-8)',
          );
        }
        return;
      case 'number':
        if (value === 0 && 1 / value < 0) this.rewrite = true;
        return;
      case 'boolean':
      case 'undefined':
      case 'bigint':
        return;
      case 'object':
        if (value !== null) this.#object(value, depth);
        return;
      default:
        throw new UnsupportedValue(describeValue(value));
    }
  }

  #object(value: object, depth: number): void {
    if (this.#visited.has(value)) {
      if (this.#encoding?.has(value)) {
        throw new UnsupportedValue(
          'a reference back to a registered class instance from inside its own data',
        );
      }
      this.#shared ??= new Set();
      this.#shared.add(value);
      this.rewrite = true;
      return;
    }
    if (depth >= MAX_DEPTH) {
      throw new UnsupportedValue(`nesting deeper than ${MAX_DEPTH} levels`);
    }
    this.#visited.add(value);
    this.#contents(value, depth + 1);
  }

  #contents(value: object, depth: number): void {
    const kind = kindOf(value, this.#registry);
    if (kind === undefined) {
      throw new UnsupportedValue(
        `${describeValue(value)}, which is not a registered class (see createCborCodec)`,
      );
    }
    // Plain objects, arrays, bytes and most dates go to cbor-x as they are.
    if (kind !== 'object' && kind !== 'array' && kind !== 'bytes') {
      if (kind !== 'date' || !isNativeDate(value as Date)) this.rewrite = true;
    }

    if (kind === 'object' || kind === 'nullPrototype') {
      this.#properties(value, depth);
    } else if (kind === 'array') {
      this.#items(value as unknown[], depth);
    } else if (kind === 'map') {
      this.#entries(value as Map<unknown, unknown>, depth);
    } else if (kind === 'set') {
      this.#members(value as Set<unknown>, depth);
    } else if (kind === 'class') {
      this.#instance(value, depth);
    }
  }

  #properties(value: object, depth: number): void {
    const keys = Object.keys(value);
    // Two cheap lists: Reflect.ownKeys has no fast path and costs more.
    if (
      Object.getOwnPropertyNames(value).length !== keys.length ||
      Object.getOwnPropertySymbols(value).length > 0
    ) {
      hiddenKeys(value);
    }
    let key = '';
    try {
      for (key of keys) {
        const item = (value as Holder)[key];
        checkKey(key, item);
        if (this.#values > this.#checkTextFrom && !key.isWellFormed()) {
          throw new UnsupportedValue('a property name with a lone surrogate');
        }
        this.value(item, depth);
      }
    } catch (error) {
      throw withSegment(error, propertySegment(key));
    }
  }

  #items(value: unknown[], depth: number): void {
    let index = 0;
    try {
      for (; index < value.length; index++) {
        const item = value[index];
        if (item === undefined && !(index in value)) {
          throw new UnsupportedValue('a hole in a sparse array');
        }
        this.value(item, depth);
      }
    } catch (error) {
      throw withSegment(error, `[${index}]`);
    }
  }

  #entries(value: Map<unknown, unknown>, depth: number): void {
    let segment = '';
    let index = 0;
    try {
      for (const [key, item] of value) {
        segment = `.keys()[${index}]`;
        this.value(key, depth);
        segment = `.values()[${index}]`;
        this.value(item, depth);
        index++;
      }
    } catch (error) {
      throw withSegment(error, segment);
    }
  }

  #members(value: Set<unknown>, depth: number): void {
    let index = 0;
    try {
      for (const item of value) {
        this.value(item, depth);
        index++;
      }
    } catch (error) {
      throw withSegment(error, `.values()[${index}]`);
    }
  }

  #instance(value: object, depth: number): void {
    const prototype = Object.getPrototypeOf(value) as object;
    const entry = this.#registry.byPrototype.get(prototype) as TaggedClass;
    const name = entry.type.name || 'a registered class';
    let data: unknown;
    try {
      data = entry.encode(value);
    } catch (cause) {
      throw new UnsupportedValue(`${name}'s encode() threw`, { cause });
    }
    this.#classData ??= new Map();
    this.#classData.set(value, data);
    this.#encoding ??= new Set();
    this.#encoding.add(value);
    try {
      this.value(data, depth);
    } catch (error) {
      throw withSegment(error, ` (data of ${name})`);
    }
    this.#encoding.delete(value);
  }
}

/** Throws for the non-enumerable or symbol-keyed property `value` has. */
function hiddenKeys(value: object): never {
  if (Object.getOwnPropertySymbols(value).length > 0) {
    throw new UnsupportedValue('an object with a symbol-keyed property');
  }
  throw new UnsupportedValue('an object with a non-enumerable property');
}

function checkKey(key: string, item: unknown): void {
  if (key === '__proto__') {
    throw new UnsupportedValue(
      'an own property named "__proto__" (it would replace the prototype of a copy)',
    );
  }
  if (key === 'constructor' && isPrototypeHolder(item)) {
    // The segment added on the way out names the "constructor" property.
    throw new UnsupportedValue(
      'an object whose "constructor" property holds a "prototype" (prototype pollution bait)',
    );
  }
}

function isPrototypeHolder(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.hasOwn(value, 'prototype')
  );
}
