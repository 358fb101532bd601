/**
 * A JSON description of decoded arguments, for implementers in other
 * languages (see README.md). Plain JSON values stand for themselves;
 * everything else is an object with one `$`-prefixed key.
 */
export function toModel(args: unknown[]): unknown {
  const seen = new Map<object, string>();
  const model = (value: unknown, path: string): unknown => {
    if (typeof value === 'bigint') return { $bigint: value.toString() };
    if (value === undefined) return { $undefined: true };
    if (typeof value === 'number') return number(value);
    if (typeof value !== 'object' || value === null) return value;

    const first = seen.get(value);
    if (first !== undefined) return { $ref: first };
    seen.set(value, path);
    return container(value, path, model);
  };
  return model(args, 'args');
}

type Recurse = (value: unknown, path: string) => unknown;

function number(value: number): unknown {
  if (Object.is(value, -0)) return { $number: '-0' };
  if (!Number.isFinite(value)) return { $number: String(value) };
  return value;
}

function container(value: object, path: string, model: Recurse): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) => model(item, `${path}[${index}]`));
  }
  if (value instanceof Date) {
    const time = value.getTime();
    return { $date: Number.isNaN(time) ? null : value.toISOString() };
  }
  if (value instanceof Map) {
    return {
      $map: [...value].map(([key, item], index) => [
        model(key, `${path}.keys()[${index}]`),
        model(item, `${path}.values()[${index}]`),
      ]),
    };
  }
  if (value instanceof Set) {
    return {
      $set: [...value].map((item, index) =>
        model(item, `${path}.values()[${index}]`),
      ),
    };
  }
  if (value instanceof ArrayBuffer) {
    return { $arrayBuffer: Buffer.from(value).toString('hex') };
  }
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const type = Buffer.isBuffer(value) ? 'Buffer' : value.constructor.name;
    return { $bytes: bytes.toString('hex'), type };
  }
  const entries = Object.entries(value).map(([key, item]) => [
    key,
    model(item, `${path}[${JSON.stringify(key)}]`),
  ]);
  if (Object.getPrototypeOf(value) === null) return { $nullPrototype: entries };
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    return {
      $class: value.constructor.name,
      fields: Object.fromEntries(entries),
    };
  }
  return { $object: entries };
}
