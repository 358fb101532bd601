/** One request the receiver is working on. */
export interface InFlightCall {
  /**
   * Runs `callback` (once) when shutdown gives up waiting for this call,
   * so its handler can answer "retry" while the body still runs.
   */
  onAbandon(callback: () => void): void;
  /** Marks the call answered. Safe to call twice. */
  leave(): void;
}

/** What {@link InFlight.drain} saw. */
export interface DrainResult {
  /** Calls in flight when the drain began. */
  readonly inFlight: number;
  /** Calls still running when the grace period ended (answered retry). */
  readonly abandoned: number;
}

/**
 * Counts the calls the handlers are working on, so a shutdown can stop
 * taking new ones and wait for the rest.
 */
export interface InFlight {
  /** True once a drain began: new requests are turned away. */
  readonly draining: boolean;
  /** Calls entered and not yet left. */
  readonly size: number;
  /** Registers a call; `undefined` when draining (turn it away). */
  enter(): InFlightCall | undefined;
  /**
   * Stops taking calls and resolves once every call left, or once
   * `gracePeriodMs` passed: then the calls still running are abandoned
   * (their handlers answer "retry") and the drain waits for them to leave.
   */
  drain(gracePeriodMs: number): Promise<DrainResult>;
}

interface Entry {
  onAbandon: (() => void) | undefined;
}

/** Creates an empty {@link InFlight}. */
export function createInFlight(): InFlight {
  const entries = new Set<Entry>();
  let draining = false;
  let onEmpty: (() => void) | undefined;

  const enter = (): InFlightCall | undefined => {
    if (draining) return undefined;

    // No promise per call: every request comes through here.
    const entry: Entry = { onAbandon: undefined };
    entries.add(entry);
    return {
      onAbandon(callback) {
        entry.onAbandon = callback;
      },
      leave() {
        entries.delete(entry);
        if (entries.size === 0) onEmpty?.();
      },
    };
  };

  const drain = async (gracePeriodMs: number): Promise<DrainResult> => {
    draining = true;
    const inFlight = entries.size;
    const emptied = new Promise<void>((resolve) => {
      onEmpty = resolve;
      if (entries.size === 0) resolve();
    });

    const finished = await settlesWithin(emptied, gracePeriodMs);
    const abandoned = finished ? 0 : entries.size;
    if (!finished) {
      for (const entry of entries) abandon(entry);
      await emptied;
    }
    return { inFlight, abandoned };
  };

  return {
    get draining() {
      return draining;
    },
    get size() {
      return entries.size;
    },
    enter,
    drain,
  };
}

function abandon(entry: Entry): void {
  const callback = entry.onAbandon;
  entry.onAbandon = undefined;
  callback?.();
}

async function settlesWithin(
  promise: Promise<void>,
  timeoutMs: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([promise.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
