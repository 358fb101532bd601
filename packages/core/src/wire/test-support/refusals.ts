/**
 * Whether `codec` must refuse `args`: both codecs refuse own `__proto__`
 * keys and `{ constructor: { prototype } }`; `cbor` also refuses lone
 * surrogates, which CBOR text cannot hold.
 */
export function expectsRefusal(
  codec: 'cbor' | 'json',
  args: unknown[],
): boolean {
  const visited = new Set<object>();
  const strict = codec === 'cbor';
  const refused = (value: unknown): boolean => {
    if (typeof value === 'string') return strict && !value.isWellFormed();
    if (typeof value !== 'object' || value === null) return false;
    if (visited.has(value)) return false;
    visited.add(value);
    if (value instanceof Map) return [...value].flat().some(refused);
    if (value instanceof Set) return [...value].some(refused);
    if (Array.isArray(value)) return value.some(refused);
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return false;
    const keys = Object.keys(value);
    if (keys.includes('__proto__') || isBait(value)) return true;
    if (keys.some((key) => strict && !key.isWellFormed())) return true;
    return Object.values(value).some(refused);
  };
  return refused(args);
}

function isBait(value: object): boolean {
  if (!Object.hasOwn(value, 'constructor')) return false;
  const held: unknown = (value as { constructor: unknown }).constructor;
  return (
    typeof held === 'object' &&
    held !== null &&
    Object.hasOwn(held, 'prototype')
  );
}
