/** The parts of a W3C `traceparent` header Cloud Logging can use. */
export interface TraceContext {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits: the caller's span. */
  spanId: string;
  sampled: boolean;
}

// version "-" trace-id "-" parent-id "-" flags; see
// https://www.w3.org/TR/trace-context/#traceparent-header
const TRACEPARENT =
  /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/;
const ALL_ZERO = /^0+$/;

/**
 * Reads a W3C `traceparent` value. Returns undefined for anything that is
 * not one, including the all-zero ids the spec declares invalid.
 */
export function parseTraceparent(value: unknown): TraceContext | undefined {
  if (typeof value !== 'string') return undefined;

  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match) return undefined;

  const [, version = '', traceId = '', spanId = '', flags = '00'] = match;
  if (version === 'ff') return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;

  const sampled = (Number.parseInt(flags, 16) & 1) === 1;
  return { traceId, spanId, sampled };
}
