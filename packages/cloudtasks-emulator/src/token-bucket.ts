/**
 * The service's rate limiter: a bucket of `capacity` tokens, refilled
 * continuously at `ratePerSecond`, one token per dispatch. It starts full.
 */
export class TokenBucket {
  #capacity: number;
  #ratePerSecond: number;
  #tokens: number;
  #updatedAtMs: number;

  constructor(ratePerSecond: number, capacity: number, nowMs: number) {
    this.#ratePerSecond = ratePerSecond;
    this.#capacity = capacity;
    this.#tokens = capacity;
    this.#updatedAtMs = nowMs;
  }

  /** Applies new limits, keeping the tokens already earned. */
  reconfigure(ratePerSecond: number, capacity: number, nowMs: number): void {
    this.#refill(nowMs);
    this.#ratePerSecond = ratePerSecond;
    this.#capacity = capacity;
    this.#tokens = Math.min(this.#tokens, capacity);
  }

  /** Milliseconds until a token is available; 0 when one is now. */
  msUntilToken(nowMs: number): number {
    this.#refill(nowMs);
    if (this.#tokens >= 1) return 0;
    return Math.ceil(((1 - this.#tokens) / this.#ratePerSecond) * 1000);
  }

  /** Spends one token; the caller checked `msUntilToken` first. */
  take(nowMs: number): void {
    this.#refill(nowMs);
    this.#tokens -= 1;
  }

  #refill(nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - this.#updatedAtMs);
    const earned = (elapsedMs / 1000) * this.#ratePerSecond;
    this.#tokens = Math.min(this.#capacity, this.#tokens + earned);
    this.#updatedAtMs = Math.max(this.#updatedAtMs, nowMs);
  }
}
