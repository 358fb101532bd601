/** Fields every log entry may carry, so one call can be followed. */
export interface LogFields {
  callId?: string | undefined;
  functionName?: string | undefined;
  attempt?: number | undefined;
  /** W3C `traceparent` of the call, once its envelope is open. */
  traceparent?: string | undefined;
  /** W3C `tracestate` of the call, once its envelope is open. */
  tracestate?: string | undefined;
  /**
   * What the transport claimed about a frame that could not be verified:
   * a hint for finding the sender, not proof of anything.
   */
  unverifiedCallId?: string | undefined;
  unverifiedFunctionName?: string | undefined;
  error?: unknown;
  [field: string]: unknown;
}

/**
 * Where the library reports what it does. Libraries do not print: the
 * default logger of core discards everything; the receiver's writes one
 * JSON line per entry for Cloud Logging.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops every entry. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
