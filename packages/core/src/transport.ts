import type { CallOptions } from './call-options.ts';

/** Attribute names every transport sets beside the frame. */
export const FUNCTION_ATTRIBUTE = 'dispatch.function';
export const CALL_ID_ATTRIBUTE = 'dispatch.call_id';

/** One signed frame on its way out, as a transport receives it. */
export interface OutgoingMessage {
  /** The `SignedFrame` bytes: send them unchanged. */
  readonly frame: Uint8Array;
  /** The registered function name. */
  readonly functionName: string;
  /** The call id inside the envelope (time-ordered UUIDv7). */
  readonly callId: string;
  /**
   * Plain-text attributes for transports that carry them (Pub/Sub):
   * the function name and call id, plus the call's `metadata`.
   */
  readonly attributes: Readonly<Record<string, string>>;
  /** The per-call options the caller gave with `.with()`. */
  readonly options: Readonly<CallOptions>;
}

/** What the caller gets back once a transport accepted a call. */
export interface DispatchReceipt {
  /** The transport's own id: a Pub/Sub message id or a task name. */
  readonly id: string;
  /** The call id, as logged by the worker. */
  readonly callId: string;
  /** True when the transport recognised a repeated `dedupeKey`. */
  readonly deduplicated: boolean;
}

/**
 * Carries frames to a worker. Implement this to add a transport; core
 * needs nothing else from it.
 */
export interface Transport {
  /** A short name for logs and errors, such as `pubsub:my-topic`. */
  readonly name: string;
  /**
   * Sends one frame. Resolves once the service has accepted it; rejects
   * with a `DispatchError` (`PAYLOAD_TOO_LARGE`, `TRANSPORT_FAILED`,
   * `INVALID_OPTIONS`) otherwise.
   */
  send(message: OutgoingMessage): Promise<DispatchReceipt>;
  /** Resolves when everything sent so far has been accepted. */
  flush(): Promise<void>;
  /** Flushes, then releases every connection and timer it holds. */
  close(): Promise<void>;
}
