/** One piece of work being watched by {@link Deadlines}. */
export interface Watched {
  readonly deadline: number;
  readonly expire: () => void;
}

/**
 * Gives every piece of work the same time limit with one timer in all,
 * instead of a timer and a race per send: with one limit, work added
 * later also expires later, so the oldest is always the next due. For
 * transports, which bound each send this way.
 *
 * @example
 * const deadlines = createDeadlines(60_000);
 * const watched = deadlines.watch(() => reject(new Error('timed out')));
 * client.send(message, (error) => {
 *   if (!deadlines.settle(watched)) return; // already timed out
 *   ...
 * });
 */
export interface Deadlines {
  /** Starts watching; `expire` runs once the limit passes first. */
  watch(expire: () => void): Watched;
  /**
   * Stops watching `watched`. False when it already expired (its
   * outcome is then ignored).
   */
  settle(watched: Watched): boolean;
  /** Resolves once nothing is being watched. */
  idle(): Promise<void>;
}

/** Creates {@link Deadlines} of `limitMs` milliseconds each. */
export function createDeadlines(limitMs: number): Deadlines {
  const watching = new Set<Watched>();
  let timer: NodeJS.Timeout | undefined;
  let idleWaiters: (() => void)[] = [];

  const settled = () => {
    if (watching.size > 0) return;
    clearTimeout(timer);
    timer = undefined;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const sweep = () => {
    timer = undefined;
    const now = Date.now();
    for (const watched of watching) {
      if (watched.deadline > now) {
        timer = setTimeout(sweep, watched.deadline - now);
        return;
      }
      watching.delete(watched);
      watched.expire();
    }
    settled();
  };

  return {
    watch(expire) {
      const watched = { deadline: Date.now() + limitMs, expire };
      watching.add(watched);
      timer ??= setTimeout(sweep, limitMs);
      return watched;
    },
    settle(watched) {
      if (!watching.delete(watched)) return false;
      settled();
      return true;
    },
    idle() {
      if (watching.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
