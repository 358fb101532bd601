/**
 * Thrown inside a codec walk when a value cannot be carried exactly. Each
 * enclosing container adds its own path segment on the way out, so the
 * success path pays nothing for error paths.
 */
export class UnsupportedValue extends Error {
  override readonly name = 'UnsupportedValue';
  /** Path segments, innermost first. */
  readonly segments: string[] = [];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The path segment of an object property: `.name` or `["a key"]`. */
export function propertySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * Adds `segment` to the path of `error`. Any other error (a getter that
 * threw) becomes an {@link UnsupportedValue} that keeps it as `cause`.
 */
export function withSegment(error: unknown, segment: string): UnsupportedValue {
  const unsupported =
    error instanceof UnsupportedValue
      ? error
      : new UnsupportedValue(`reading it threw (${messageOf(error)})`, {
          cause: error,
        });
  unsupported.segments.push(segment);
  return unsupported;
}

/** The message of an error, or the thrown value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The path of the failing value from the argument list: `args[1].user`. */
export function pathOf(error: UnsupportedValue): string {
  return `args${error.segments.toReversed().join('')}`;
}

/** Names a value in an error message without printing its contents. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') {
    return value.name ? `function ${value.name}` : 'an anonymous function';
  }
  if (typeof value === 'symbol') return `a symbol (${value.description})`;
  if (value === null || typeof value !== 'object') return typeof value;
  const prototype: unknown = Object.getPrototypeOf(value);
  const name = constructorName(prototype);
  return name ? `an instance of ${name}` : 'an object with a custom prototype';
}

function constructorName(prototype: unknown): string | undefined {
  if (prototype === null || typeof prototype !== 'object') return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'constructor');
  const type: unknown = descriptor?.value;
  if (typeof type !== 'function') return undefined;
  return type.name || undefined;
}

/**
 * True for `{ constructor: { prototype: ... } }`, the shape merge helpers
 * turn into prototype pollution. Both codecs refuse it in both directions.
 */
export function hasPrototypeBait(object: object): boolean {
  if (!Object.hasOwn(object, 'constructor')) return false;
  const held: unknown = (object as { constructor: unknown }).constructor;
  if (held === null || typeof held !== 'object') return false;
  return Object.hasOwn(held, 'prototype');
}
