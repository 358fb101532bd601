/** Options for one call, given with `fn.with(options)`. */
export interface CallOptions {
  /** Run no earlier than this many milliseconds from now. */
  delay?: number;
  /** Run no earlier than this time. Exclusive with `delay`. */
  at?: Date;
  /**
   * Calls with the same key are accepted once; the next one resolves with
   * `deduplicated: true`. Honoured by transports that support it (Cloud
   * Tasks); others reject it with `INVALID_OPTIONS`.
   */
  dedupeKey?: string;
  /** Calls with the same key run in order (Pub/Sub message ordering). */
  orderingKey?: string;
  /** Drop the call instead of running it more than this many ms late. */
  expiresIn?: number;
  /** String pairs carried in the envelope and, on Pub/Sub, as attributes. */
  metadata?: Record<string, string>;
}
