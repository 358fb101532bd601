type Primitive = string | number | boolean | bigint | null | undefined;

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * Declare user classes carried by a codec tag (see `createCborCodec`) here,
 * so parameters of their type pass the compile-time check.
 *
 * @example
 * declare module '@cloud-functions-dispatch/core' {
 *   interface RegisteredClasses {
 *     money: Money;
 *   }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface RegisteredClasses {}

type Leaf =
  | Primitive
  | Date
  | TypedArray
  | ArrayBuffer
  | RegisteredClasses[keyof RegisteredClasses];

/** The type an argument that cannot be encoded is reported as. */
export type NotSerializable<What extends string> = `not serializable: ${What}`;

/**
 * A value the codecs can carry: primitives (including `bigint` and
 * `undefined`), `Date`, typed arrays, `Buffer`, `ArrayBuffer`, `Map`,
 * `Set`, arrays, tuples and plain objects of these, readonly or not.
 */
export type Serializable =
  | Leaf
  | readonly Serializable[]
  | ReadonlyMap<Serializable, Serializable>
  | ReadonlySet<Serializable>
  | { readonly [key: string]: Serializable };

/**
 * Maps `T` to itself when it can be encoded, and every part that cannot to
 * a {@link NotSerializable} message. Unlike {@link Serializable} it accepts
 * interfaces, which have no index signature. `any` and `unknown` pass:
 * they are checked when the call is encoded.
 */
// Map and Set are matched before WeakMap and WeakSet: `Map<unknown, V>`
// and `Set<object>` have every member the weak kinds have, so the weak
// tests alone would refuse them. The weak kinds lack `size`, so they never
// match a Map or Set.
export type EnsureSerializable<T> = 0 extends 1 & T
  ? T
  : T extends Leaf
    ? T
    : T extends (...args: never[]) => unknown
      ? NotSerializable<'a function'>
      : T extends symbol
        ? NotSerializable<'a symbol'>
        : T extends ReadonlyMap<unknown, unknown> | ReadonlySet<unknown>
          ? EnsureSerializableCollection<T>
          : T extends Promise<unknown> | WeakMap<object, unknown>
            ? NotSerializable<'a Promise or WeakMap'>
            : T extends WeakSet<object> | WeakRef<object>
              ? NotSerializable<'a WeakSet or WeakRef'>
              : T extends object
                ? { [K in keyof T]: EnsureSerializable<T[K]> }
                : T;

type EnsureSerializableCollection<T> =
  T extends Map<infer K, infer V>
    ? Map<EnsureSerializable<K>, EnsureSerializable<V>>
    : T extends ReadonlyMap<infer K, infer V>
      ? ReadonlyMap<EnsureSerializable<K>, EnsureSerializable<V>>
      : T extends Set<infer V>
        ? Set<EnsureSerializable<V>>
        : T extends ReadonlySet<infer V>
          ? ReadonlySet<EnsureSerializable<V>>
          : T;

/** Any function, as `dispatch()` accepts it before checking parameters. */
// biome-ignore lint/suspicious/noExplicitAny: parameters are checked apart
export type AnyFunction = (...args: any[]) => unknown;

/**
 * `unknown` when every parameter of `F` can be encoded; otherwise an object
 * type that names the offending parameters, so `dispatch()` fails to
 * compile with a readable message.
 */
export type CheckSerializableParameters<F extends AnyFunction> =
  Parameters<F> extends EnsureSerializable<Parameters<F>>
    ? unknown
    : {
        'parameters that cannot be encoded': EnsureSerializable<Parameters<F>>;
      };
