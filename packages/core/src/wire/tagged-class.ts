import { DispatchError } from '../errors.ts';
import { USER_TAG_MAX, USER_TAG_MIN } from './cbor-tags.ts';

/**
 * A user class the CBOR codec carries under its own tag. Only exact
 * instances (not subclasses) use it; decoding calls `decode`, never the
 * constructor.
 *
 * @example
 * const money: TaggedClass<Money> = {
 *   tag: 40100,
 *   type: Money,
 *   encode: (m) => [m.cents, m.currency],
 *   decode: (data) => Money.from(data as [number, string]),
 * };
 */
export interface TaggedClass<T extends object = object> {
  /** CBOR tag number, an integer from 40100 to 49999. */
  readonly tag: number;
  /** The class whose exact instances use this tag. */
  readonly type: abstract new (
    ...args: never[]
  ) => T;
  /** Returns codec-encodable data for one instance (may nest classes). */
  encode(value: T): unknown;
  /** Builds an instance from the decoded data `encode` returned. */
  decode(data: unknown): T;
}

/** Registered classes, looked up by prototype (encode) and tag (decode). */
export interface ClassRegistry {
  readonly byPrototype: ReadonlyMap<object, TaggedClass>;
  readonly byTag: ReadonlyMap<number, TaggedClass>;
}

/** Validates `classes` and indexes them; throws `INVALID_OPTIONS`. */
export function createClassRegistry(
  classes: readonly TaggedClass[],
): ClassRegistry {
  const byPrototype = new Map<object, TaggedClass>();
  const byTag = new Map<number, TaggedClass>();
  for (const entry of classes) {
    const name = entry.type?.name || '(anonymous class)';
    const prototype: unknown = entry.type?.prototype;
    if (typeof prototype !== 'object' || prototype === null) {
      throw invalid(`${name}: type must be a class`);
    }
    if (!isUserTag(entry.tag)) {
      throw invalid(
        `${name}: tag ${entry.tag} is outside ${USER_TAG_MIN}-${USER_TAG_MAX}`,
      );
    }
    if (byTag.has(entry.tag)) {
      throw invalid(`${name}: tag ${entry.tag} is registered twice`);
    }
    if (byPrototype.has(prototype)) {
      throw invalid(`${name}: class is registered twice`);
    }
    byTag.set(entry.tag, entry);
    byPrototype.set(prototype, entry);
  }
  return { byPrototype, byTag };
}

function isUserTag(tag: unknown): boolean {
  return (
    Number.isInteger(tag) &&
    (tag as number) >= USER_TAG_MIN &&
    (tag as number) <= USER_TAG_MAX
  );
}

function invalid(detail: string): DispatchError {
  return new DispatchError(
    'INVALID_OPTIONS',
    `createCborCodec: invalid class registration, ${detail}`,
  );
}
