import type { DispatchOptions } from './dispatch-options.ts';
import type { DispatchedFunction } from './dispatched-function.ts';
import type {
  AnyFunction,
  CheckSerializableParameters,
} from './serializable.ts';

/** `F`, when every parameter of it can be encoded. */
type Checked<F extends AnyFunction> = F & CheckSerializableParameters<F>;

/** The body: the first argument when it is one, else the second. */
type BodyOf<First, F extends AnyFunction> = First extends AnyFunction
  ? First
  : F;

/**
 * Registers a function and returns its dispatched form. Takes a name, or
 * uses `fn.name` (an anonymous function is `ANONYMOUS_FUNCTION`); a name
 * registered twice is `DUPLICATE_FUNCTION`. Parameters that cannot be
 * encoded fail to compile, naming them under
 * `'parameters that cannot be encoded'`.
 *
 * @example
 * export const sendMail = dispatch('sendMail',
 *   async (to: string, body: string) => { ... },
 *   { maxAttempts: 10, timeout: 30_000 });
 */
// One signature, not an overload per form: with overloads, a body whose
// parameters cannot be encoded also failed the other form, and the
// compiler showed that unrelated error ("string is not assignable to
// AnyFunction") beside the real one.
export type DispatchFunction = <
  First extends string | AnyFunction,
  F extends AnyFunction = never,
>(
  nameOrFn: First extends AnyFunction ? Checked<First> : First,
  ...rest: First extends string
    ? [fn: Checked<F>, options?: DispatchOptions]
    : [options?: DispatchOptions]
) => DispatchedFunction<
  Parameters<BodyOf<First, F>>,
  ReturnType<BodyOf<First, F>>
>;
