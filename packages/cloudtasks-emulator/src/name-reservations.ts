/**
 * Names that stay taken for a while after their resource is gone, as task
 * names do on the service (about an hour after a task completes or is
 * deleted).
 */
export class NameReservations {
  readonly #windowMs: number;
  // Insertion order is expiry order, since every entry gets the same window.
  readonly #expiresAt = new Map<string, number>();

  /** @param windowMs how long a name stays taken, ms; 0 disables. */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Takes `name` for the window, starting at `nowMs`. */
  reserve(name: string, nowMs: number): void {
    if (this.#windowMs <= 0) return;
    this.#sweep(nowMs);
    this.#expiresAt.delete(name);
    this.#expiresAt.set(name, nowMs + this.#windowMs);
  }

  /** When the reservation of `name` ends, or `undefined` if it is free. */
  reservedUntil(name: string, nowMs: number): number | undefined {
    this.#sweep(nowMs);
    return this.#expiresAt.get(name);
  }

  #sweep(nowMs: number): void {
    for (const [name, expiresAt] of this.#expiresAt) {
      if (expiresAt > nowMs) return;
      this.#expiresAt.delete(name);
    }
  }
}
