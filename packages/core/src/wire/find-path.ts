import { propertySegment } from './unsupported-value.ts';

/**
 * The path from `root` to the first place `target` occurs, such as
 * `args[1].user`. Only used to explain an error, so it may be slow.
 */
export function findPath(root: unknown, target: unknown): string | undefined {
  const visited = new Set<unknown>();
  const search = (value: unknown, path: string): string | undefined => {
    if (value === target) return path;
    if (typeof value !== 'object' || value === null || visited.has(value)) {
      return undefined;
    }
    visited.add(value);
    for (const [segment, child] of childrenOf(value)) {
      const found = search(child, path + segment);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search(root, 'args');
}

function childrenOf(value: object): [string, unknown][] {
  if (value instanceof Map) {
    return [...value].flatMap(([key, item], index) => [
      [`.keys()[${index}]`, key],
      [`.values()[${index}]`, item],
    ]);
  }
  if (value instanceof Set) {
    return [...value].map((item, index) => [`.values()[${index}]`, item]);
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => [`[${index}]`, item]);
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return [];
  return Object.entries(value).map(([key, item]) => [
    propertySegment(key),
    item,
  ]);
}
