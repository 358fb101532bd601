import { DispatchError } from './errors.ts';

/** Throws `INVALID_OPTIONS` naming the option and what it configures. */
export function invalidOption(
  option: string,
  target: string,
  expected: string,
  functionName?: string,
): never {
  const context = functionName === undefined ? {} : { functionName };
  throw new DispatchError(
    'INVALID_OPTIONS',
    `${target}: option "${option}" must be ${expected}`,
    context,
  );
}

/** True for `{}`-like objects: no class, no array, no null. */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** True for an integer of at least `minimum`. */
export function isIntegerAtLeast(value: unknown, minimum: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= minimum;
}

/** True for a finite number of at least zero. */
export function isNonNegativeFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
