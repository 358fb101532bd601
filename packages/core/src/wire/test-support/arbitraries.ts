import fc from 'fast-check';

const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'];

/** Text of every kind: emoji, composed graphemes, any code point. */
function text(loneSurrogates: boolean): fc.Arbitrary<string> {
  const unit = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.constantFrom(...LONE_SURROGATES),
  );
  const kinds = [
    { weight: 5, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  ];
  if (loneSurrogates) {
    kinds.push({ weight: 1, arbitrary: fc.string({ unit, maxLength: 6 }) });
  }
  return fc.oneof(...kinds);
}

const NUMBERS = [0, -0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 31), 2 ** 32];

function numbers(): fc.Arbitrary<number> {
  return fc.oneof(fc.double(), fc.integer(), fc.constantFrom(...NUMBERS));
}

function bigints(): fc.Arbitrary<bigint> {
  const huge = 2n ** 300n;
  return fc.oneof(
    fc.bigInt({ min: -huge, max: huge }),
    fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }),
    fc.bigInt({ min: -10n, max: 10n }),
  );
}

function binaries(): fc.Arbitrary<object> {
  const bytes = fc.uint8Array({ maxLength: 24 });
  return fc.oneof(
    bytes.map((array) => Buffer.from(array)),
    bytes.map((array) => Buffer.from([9, ...array]).subarray(1)),
    bytes,
    bytes.map((array) => array.buffer),
    fc.uint8ClampedArray({ maxLength: 8 }),
    fc.int8Array({ maxLength: 8 }),
    fc.int16Array({ maxLength: 8 }),
    fc.uint16Array({ maxLength: 8 }),
    fc.int32Array({ maxLength: 8 }),
    fc.uint32Array({ maxLength: 8 }),
    fc.float32Array({ maxLength: 8 }),
    fc.float64Array({ maxLength: 8 }),
    fc
      .float64Array({ maxLength: 8 })
      .map(
        (array) => new Float64Array(Float64Array.from([1, ...array]).buffer, 8),
      ),
    fc.array(fc.double(), { maxLength: 8 }).map((a) => new Float16Array(a)),
    fc.bigInt64Array({ maxLength: 4 }),
    fc.bigUint64Array({ maxLength: 4 }),
  );
}

/** Every leaf value the codecs promise to carry. */
function leaves(loneSurrogates: boolean): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(undefined, null, true, false),
    numbers(),
    bigints(),
    text(loneSurrogates),
    fc.date({ noInvalidDate: false }),
    binaries(),
  );
}

function keys(loneSurrogates: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
    },
    { weight: 2, arbitrary: text(loneSurrogates) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('0', '7', 'length', 'constructor'),
    },
  );
}

/** Builds own data properties, so `__proto__` stays an ordinary key. */
function objectOf(prototype: object | null, entries: [string, unknown][]) {
  const object = Object.create(prototype) as Record<string, unknown>;
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return object;
}

/** Trees of every carried container over every carried leaf. */
function trees(loneSurrogates: boolean): fc.Arbitrary<unknown> {
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaves(loneSurrogates),
      tie('array'),
      tie('object'),
      tie('nullObject'),
      tie('map'),
      tie('set'),
    ),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc
      .array(fc.tuple(keys(loneSurrogates), tie('value')), { maxLength: 5 })
      .map((entries) => objectOf(Object.prototype, entries)),
    nullObject: fc
      .array(fc.tuple(keys(loneSurrogates), tie('value')), { maxLength: 3 })
      .map((entries) => objectOf(null, entries)),
    map: fc
      .array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 })
      .map((entries) => new Map(entries)),
    set: fc
      .array(tie('value'), { maxLength: 4 })
      .map((items) => new Set(items)),
  }));
  return value;
}

/** Options of {@link argumentLists}. */
export interface ArgumentListOptions {
  /** Also generate strings and keys with lone surrogates. */
  loneSurrogates?: boolean;
}

/**
 * Argument lists over every type the codecs carry, with extra links added
 * afterwards so that some objects are shared and some form cycles.
 */
export function argumentLists(
  options: ArgumentListOptions = {},
): fc.Arbitrary<unknown[]> {
  const link = fc.tuple(fc.nat(), fc.nat(), fc.nat());
  return fc
    .tuple(
      fc.array(trees(options.loneSurrogates ?? false), { maxLength: 6 }),
      fc.array(link, { maxLength: 4 }),
    )
    .map(([tree, links]) => addLinks(copyTree(tree) as unknown[], links));
}

function addLinks(root: unknown[], links: [number, number, number][]) {
  const objects = collectObjects(root);
  const containers = objects.filter(isContainer);
  for (const [from, to, key] of links) {
    const container = containers[from % containers.length];
    const target = objects[to % objects.length];
    if (container === undefined || target === undefined) continue;
    if (Array.isArray(container)) container.push(target);
    else if (container instanceof Set) container.add(target);
    else if (container instanceof Map) {
      if (key % 2) container.set(target, key);
      else container.set(`link${key}`, target);
    } else (container as Record<string, unknown>)[`link${key}`] = target;
  }
  return root;
}

function isContainer(value: object): boolean {
  if (Array.isArray(value) || value instanceof Map || value instanceof Set) {
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function collectObjects(root: unknown): object[] {
  const found = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || found.has(value)) {
      return;
    }
    found.add(value);
    if (!isContainer(value)) return;
    const items =
      value instanceof Map ? [...value].flat() : Object.values(value);
    const members = value instanceof Set ? [...value] : items;
    for (const item of members) visit(item);
  };
  visit(root);
  return [...found];
}

/** A fresh copy, so links never touch values fast-check may reuse. */
function copyTree(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyTree);
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [copyTree(k), copyTree(v)]));
  }
  if (value instanceof Set) return new Set([...value].map(copyTree));
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof ArrayBuffer) return value.slice(0);
  if (ArrayBuffer.isView(value)) return copyView(value);
  const entries = Object.entries(value).map(
    ([key, item]): [string, unknown] => [key, copyTree(item)],
  );
  return objectOf(Object.getPrototypeOf(value) as object | null, entries);
}

/** Copies a view with its whole buffer, so offsets into it survive. */
function copyView(view: ArrayBufferView): ArrayBufferView {
  const buffer = (view.buffer as ArrayBuffer).slice(0);
  if (Buffer.isBuffer(view)) {
    return Buffer.from(buffer, view.byteOffset, view.byteLength);
  }
  const type = view.constructor as new (
    buffer: ArrayBuffer,
    offset: number,
    length: number,
  ) => ArrayBufferView & { BYTES_PER_ELEMENT: number };
  const size = (view as Uint8Array).BYTES_PER_ELEMENT;
  return new type(buffer, view.byteOffset, view.byteLength / size);
}
