import { type Delivery, DispatchError } from '@cloud-functions-dispatch/core';

/** One frame taken out of a request, with what the service said about it. */
export interface ReceivedFrame {
  /** The `SignedFrame` bytes, not yet verified. */
  frame: Uint8Array;
  delivery: Delivery;
}

/** Builds the error for a request that carries no usable frame. */
export function malformedRequest(
  source: string,
  problem: string,
): DispatchError {
  return new DispatchError(
    'MALFORMED_FRAME',
    `receive ${source} request: ${problem}`,
  );
}

/**
 * Reads a positive whole attempt number from a header or a JSON field.
 * Anything else (missing, zero, text) yields undefined.
 */
export function readAttempt(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    return undefined;
  }
  return number >= 1 ? number : undefined;
}
