import { UnsupportedValue } from './unsupported-value.ts';

/** The devalue node types the `json` codec writes. */
const WRITTEN_TYPES = new Set([
  'Date',
  'Map',
  'Set',
  'BigInt',
  'null',
  'ArrayBuffer',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int8Array',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'Buffer',
  'view',
]);

/**
 * Checks devalue's flat node list before it is revived: only node types
 * the codec writes, and no `{ constructor: { prototype } }` bait. devalue
 * itself refuses `__proto__` keys.
 */
export function checkJsonNodes(parsed: unknown): void {
  if (!Array.isArray(parsed)) return;
  for (const node of parsed) {
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      checkTypedNode(node, parsed);
    } else if (Object.hasOwn(node, 'constructor')) {
      const target: unknown = parsed[node.constructor];
      if (holdsPrototype(target)) throw bait();
    }
  }
}

function checkTypedNode(node: unknown[], parsed: unknown[]): void {
  const type = node[0];
  if (typeof type !== 'string') return;
  if (!WRITTEN_TYPES.has(type)) {
    throw new UnsupportedValue(`a node of type ${JSON.stringify(type)}`);
  }
  if (type !== 'null') return;
  for (let index = 1; index < node.length; index += 2) {
    if (node[index] !== 'constructor') continue;
    const target: unknown = parsed[node[index + 1] as number];
    if (holdsPrototype(target)) throw bait();
  }
}

function holdsPrototype(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (!Array.isArray(node)) return Object.hasOwn(node, 'prototype');
  if (node[0] !== 'null') return false;
  return node.some((item, index) => index % 2 === 1 && item === 'prototype');
}

function bait(): UnsupportedValue {
  return new UnsupportedValue(
    'an object whose "constructor" property holds a "prototype"',
  );
}
