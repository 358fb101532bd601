/**
 * Where `actual` differs from `expected`, or undefined when they are the
 * same graph: same prototypes, `Object.is` leaves (so -0 and NaN count),
 * same key and entry order, same typed-array kind and bytes, and the same
 * sharing: each object of one side pairs with exactly one of the other.
 */
export function exactDifference(
  actual: unknown,
  expected: unknown,
): string | undefined {
  return new Comparison().compare(actual, expected, 'args');
}

class Comparison {
  readonly #forward = new Map<object, object>();
  readonly #backward = new Map<object, object>();

  compare(
    actual: unknown,
    expected: unknown,
    path: string,
  ): string | undefined {
    if (typeof expected !== 'object' || expected === null) {
      return Object.is(actual, expected)
        ? undefined
        : `${path}: ${show(actual)} is not ${show(expected)}`;
    }
    if (typeof actual !== 'object' || actual === null) {
      return `${path}: ${show(actual)} is not an object`;
    }

    const paired = this.#forward.get(expected);
    if (paired !== undefined || this.#backward.has(actual)) {
      return paired === actual && this.#backward.get(actual) === expected
        ? undefined
        : `${path}: sharing differs`;
    }
    this.#forward.set(expected, actual);
    this.#backward.set(actual, expected);

    if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) {
      return `${path}: prototype ${name(actual)} is not ${name(expected)}`;
    }
    return this.#contents(actual, expected, path);
  }

  #contents(actual: object, expected: object, path: string) {
    if (expected instanceof Date) {
      const same = Object.is((actual as Date).getTime(), expected.getTime());
      return same ? undefined : `${path}: another time`;
    }
    if (expected instanceof ArrayBuffer) {
      return sameBytes(
        new Uint8Array(actual as ArrayBuffer),
        new Uint8Array(expected),
        path,
      );
    }
    if (ArrayBuffer.isView(expected)) {
      return sameBytes(bytes(actual as ArrayBufferView), bytes(expected), path);
    }
    if (expected instanceof Map) {
      return this.#entries(
        [...(actual as Map<unknown, unknown>)].flat(),
        [...expected].flat(),
        path,
      );
    }
    if (expected instanceof Set) {
      return this.#entries([...(actual as Set<unknown>)], [...expected], path);
    }
    return this.#properties(actual, expected, path);
  }

  #entries(actual: unknown[], expected: unknown[], path: string) {
    if (actual.length !== expected.length) return `${path}: size differs`;
    for (let index = 0; index < expected.length; index++) {
      const difference = this.compare(
        actual[index],
        expected[index],
        `${path}{${index}}`,
      );
      if (difference) return difference;
    }
    return undefined;
  }

  #properties(actual: object, expected: object, path: string) {
    const actualKeys = Reflect.ownKeys(actual);
    const expectedKeys = Reflect.ownKeys(expected);
    if (actualKeys.join('\0') !== expectedKeys.join('\0')) {
      return `${path}: keys ${show(actualKeys)} are not ${show(expectedKeys)}`;
    }
    for (const key of expectedKeys) {
      if (key === 'length' && Array.isArray(expected)) continue;
      const difference = this.compare(
        (actual as Record<PropertyKey, unknown>)[key],
        (expected as Record<PropertyKey, unknown>)[key],
        `${path}[${show(key)}]`,
      );
      if (difference) return difference;
    }
    return undefined;
  }
}

function bytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function sameBytes(actual: Uint8Array, expected: Uint8Array, path: string) {
  return Buffer.compare(actual, expected) === 0
    ? undefined
    : `${path}: bytes differ`;
}

function name(value: object): string {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null) return 'null';
  return (
    (prototype as { constructor?: { name?: string } }).constructor?.name ?? '?'
  );
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (Object.is(value, -0)) return '-0';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
