import type { LogFields, Logger } from '@cloud-functions-dispatch/core';
import { toLoggable } from './loggable.ts';
import { parseTraceparent } from './trace.ts';

/** The logger levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where log lines go: anything with a `write(text)`, like a stream. */
export interface LogSink {
  write(text: string): unknown;
}

/** Options of {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  /** Entries below this level are dropped. Default `'info'`. */
  level?: LogLevel;
  /**
   * Project of the trace ids, for `logging.googleapis.com/trace`.
   * Default: `GOOGLE_CLOUD_PROJECT` from the environment. Without one,
   * the raw `traceparent` is logged instead.
   */
  projectId?: string;
  /** Receives DEBUG and INFO lines. Default `process.stdout`. */
  stdout?: LogSink;
  /** Receives WARNING and ERROR lines. Default `process.stderr`. */
  stderr?: LogSink;
}

const SEVERITY = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
} as const;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Creates the receiver's default logger: one JSON line per entry, in the
 * shape Cloud Logging reads from a function's output (`severity`,
 * `message`, `logging.googleapis.com/trace` and `.../spanId` from the
 * call's `traceparent`), plus `callId`, `functionName`, `attempt` and any
 * other field. DEBUG and INFO go to stdout, WARNING and ERROR to stderr.
 *
 * @example
 * registerHandlers({ logger: createJsonLogger({ level: 'debug' }) });
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const minimum = RANK[options.level ?? 'info'];
  const projectId = options.projectId ?? process.env.GOOGLE_CLOUD_PROJECT;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;

  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[level] < minimum) return;

    const entry = buildEntry(level, message, fields ?? {}, projectId);
    const sink = RANK[level] >= RANK.warn ? stderr : stdout;
    sink.write(`${JSON.stringify(entry)}\n`);
  };

  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

function buildEntry(
  level: LogLevel,
  message: string,
  fields: LogFields,
  projectId: string | undefined,
): Record<string, unknown> {
  const { traceparent, ...rest } = fields;
  const entry: Record<string, unknown> = {
    severity: SEVERITY[level],
    message,
    ...(toLoggable(rest) as Record<string, unknown>),
  };

  const trace = parseTraceparent(traceparent);
  if (trace && projectId) {
    entry['logging.googleapis.com/trace'] =
      `projects/${projectId}/traces/${trace.traceId}`;
    entry['logging.googleapis.com/spanId'] = trace.spanId;
    entry['logging.googleapis.com/trace_sampled'] = trace.sampled;
  } else if (typeof traceparent === 'string') {
    entry.traceparent = traceparent;
  }
  return entry;
}
