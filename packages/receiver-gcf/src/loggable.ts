/** The JSON shape an error takes in a log line. */
export interface LoggedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: unknown;
}

const MAX_DEPTH = 6;
const MAX_STRING = 4096;

/**
 * Turns any field value into something `JSON.stringify` accepts and keeps
 * short: errors become `{ name, message, code, stack }`, bigints strings,
 * byte arrays their length, cycles and deep nesting a marker. Never throws,
 * so a strange field cannot cost the log line.
 */
export function toLoggable(value: unknown): unknown {
  if (isFlat(value)) return value;
  return convert(value, 0, new WeakSet());
}

/**
 * True for a plain object whose values JSON.stringify already writes as
 * they should be: most log lines, which then skip the copy.
 */
function isFlat(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    const simple =
      item === undefined ||
      typeof item === 'boolean' ||
      (typeof item === 'string' && item.length <= MAX_STRING) ||
      (typeof item === 'number' && Number.isFinite(item));
    if (!simple) return false;
  }
  return true;
}

function convert(
  value: unknown,
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (typeof value === 'string') return truncate(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[function ${value.name}]`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value}`;
  if (value === null || typeof value !== 'object') return value;

  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  seen.add(value);

  try {
    return convertObject(value, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function convertObject(
  value: object,
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (value instanceof Error) return convertError(value, depth, seen);
  if (value instanceof Date) return dateText(value);
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) {
    return value.map((item) => convert(item, depth + 1, seen));
  }

  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = convert(item, depth + 1, seen);
  }
  return result;
}

function convertError(
  error: Error,
  depth: number,
  seen: WeakSet<object>,
): LoggedError {
  const logged: LoggedError = {
    name: error.name,
    message: truncate(error.message),
  };

  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') logged.code = code;
  if (error.stack) logged.stack = truncate(error.stack);
  if (error.cause !== undefined) {
    logged.cause = convert(error.cause, depth + 1, seen);
  }
  return logged;
}

function dateText(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString();
}

function truncate(text: string): string {
  if (text.length <= MAX_STRING) return text;
  return `${text.slice(0, MAX_STRING)}... (${text.length} chars)`;
}
