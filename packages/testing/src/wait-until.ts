import { setTimeout as sleep } from 'node:timers/promises';

/** Options for {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Pause between checks, in milliseconds. Default 100. */
  intervalMs?: number;
}

/**
 * Calls `check` until it returns true or the time is up. A check that
 * throws stops the wait and rethrows (use it for "the process died").
 *
 * @returns true when `check` succeeded, false on timeout.
 */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  options: WaitUntilOptions,
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 100;

  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(intervalMs);
  }
  return false;
}
