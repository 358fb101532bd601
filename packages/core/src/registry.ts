import type { DispatchOptions } from './dispatch-options.ts';
import { DispatchError } from './errors.ts';
import type { AnyFunction } from './serializable.ts';

/** One function as the dispatcher knows it. */
export interface RegisteredFunction {
  readonly name: string;
  readonly body: AnyFunction;
  readonly options: DispatchOptions;
}

/** The functions one dispatcher can send and execute, by name. */
export interface Registry {
  add(entry: RegisteredFunction): void;
  get(name: string): RegisteredFunction | undefined;
  entries(): Iterable<RegisteredFunction>;
}

/** Longest function name accepted, in UTF-16 code units. */
export const MAX_FUNCTION_NAME_LENGTH = 256;

/** Creates an empty registry; a name can be added once. */
export function createRegistry(): Registry {
  const functions = new Map<string, RegisteredFunction>();

  return {
    add(entry) {
      if (functions.has(entry.name)) {
        throw new DispatchError(
          'DUPLICATE_FUNCTION',
          `dispatch: a function named "${entry.name}" is already ` +
            'registered; give each dispatched function its own name',
          { functionName: entry.name },
        );
      }
      functions.set(entry.name, entry);
    },
    get: (name) => functions.get(name),
    entries: () => functions.values(),
  };
}

/** Throws `INVALID_OPTIONS` or `ANONYMOUS_FUNCTION` for a bad name. */
export function validateFunctionName(name: unknown): string {
  if (typeof name !== 'string') {
    throw new DispatchError(
      'INVALID_OPTIONS',
      'dispatch: the name must be a string',
    );
  }
  if (name === '') {
    throw new DispatchError(
      'ANONYMOUS_FUNCTION',
      'dispatch: the function has no name; pass one, as in ' +
        "dispatch('sendMail', async (to) => {...})",
    );
  }
  if (name.length > MAX_FUNCTION_NAME_LENGTH || name.trim() !== name) {
    throw new DispatchError(
      'INVALID_OPTIONS',
      `dispatch: the name "${name.slice(0, 40)}" must be at most ` +
        `${MAX_FUNCTION_NAME_LENGTH} characters without surrounding spaces`,
      { functionName: name },
    );
  }
  return name;
}
