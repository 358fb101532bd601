const SQLITE_BUSY = 5;
const RETRY_PAUSE_MS = 5;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** True for `SQLITE_BUSY` and its extended codes, as node:sqlite reports them. */
export function isBusyError(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === 'number' && (errcode & 0xff) === SQLITE_BUSY;
}

/**
 * Runs `action`, again after a short blocking pause while it fails with
 * `SQLITE_BUSY`, for up to `timeoutMs`. SQLite answers some lock upgrades
 * (switching a new file to WAL while another process does the same) with
 * an immediate `SQLITE_BUSY` that the busy timeout does not cover.
 */
export function retryWhileBusy<T>(action: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return action();
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
      // A synchronous pause: opening the store is synchronous, like the
      // busy timeout SQLite itself applies.
      Atomics.wait(pause, 0, 0, RETRY_PAUSE_MS);
    }
  }
}
