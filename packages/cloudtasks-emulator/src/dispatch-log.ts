/** What happened to a task after one attempt. */
export type DispatchResult =
  /** 2xx: the task is deleted. */
  | 'completed'
  /** Failed; another attempt is scheduled at `nextAttemptAt`. */
  | 'retrying'
  /** Failed and out of attempts (or retry time): the task is deleted. */
  | 'gave-up'
  /** The task was deleted or purged, or the emulator closed, meanwhile. */
  | 'dropped';

/** One line of the dispatch log: a finished attempt. */
export interface DispatchLogEntry {
  /** Full queue name. */
  queue: string;
  /** Full task name. */
  task: string;
  /** 1 for the first attempt. */
  attempt: number;
  method: string;
  url: string;
  /** HTTP status, when a response arrived. */
  status: number | undefined;
  /** Why the attempt failed without a response, or the status text. */
  error: string | undefined;
  result: DispatchResult;
  /** When the next attempt is due, for `retrying`. */
  nextAttemptAt: Date | undefined;
  /** From dispatch to outcome, ms. */
  durationMs: number;
}

/** Receives one entry per finished attempt. */
export type DispatchLogger = (entry: DispatchLogEntry) => void;

/**
 * One human-readable line for an entry, e.g.
 * `POST http://127.0.0.1:8080/work -> 500 (queue q, task 123, attempt 1,
 * 12 ms): retrying at 2025-01-01T00:00:01.000Z`.
 */
export function formatDispatchLogEntry(entry: DispatchLogEntry): string {
  const outcome = entry.status ?? entry.error ?? 'no response';
  const where =
    `queue ${lastSegment(entry.queue)}, task ${lastSegment(entry.task)}, ` +
    `attempt ${entry.attempt}, ${Math.round(entry.durationMs)} ms`;
  const next = entry.nextAttemptAt
    ? ` at ${entry.nextAttemptAt.toISOString()}`
    : '';
  return (
    `${entry.method} ${entry.url} -> ${outcome} (${where}): ` +
    `${entry.result}${next}`
  );
}

/** The logger `logDispatches: true` uses: one line per attempt on stderr. */
export const stderrDispatchLogger: DispatchLogger = (entry) => {
  process.stderr.write(
    `cloud-tasks-emulator: ${formatDispatchLogEntry(entry)}\n`,
  );
};

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
