// The figures a reliability test leaves in its vitest task meta, where
// vitest's JSON reporter keeps them for scripts/reliability.ts.
import type { TestContext } from 'vitest';

/** What one reliability scenario measured. */
export interface ReliabilityFigures {
  /** One line naming the scenario. */
  scenario: string;
  /** Calls dispatched, or inputs sent for a fuzz run. */
  calls: number;
  /** Calls that never ran (or resolved without arriving). */
  lost: number;
  /** Calls whose body applied its effect more than once. */
  duplicatesApplied: number;
  /** Crashed answers or processes (fuzz). */
  crashes?: number;
  /** Wall time of the scenario, seconds. */
  seconds: number;
  /** Anything else worth a column of prose. */
  notes: string;
  /** Fuzz runs: how each kind of input was answered ("200 malformed": n). */
  answers?: Record<string, Record<string, number>>;
}

declare module 'vitest' {
  interface TaskMeta {
    reliability?: ReliabilityFigures;
  }
}

/** Stores `figures` on the running test and prints them as one line. */
export function reportFigures(
  context: TestContext,
  figures: ReliabilityFigures,
): void {
  context.task.meta.reliability = figures;
  process.stdout.write(`reliability: ${JSON.stringify(figures)}\n`);
}

/** Seconds since `startedAt` (a `performance.now()` value), one decimal. */
export function secondsSince(startedAt: number): number {
  return Math.round((performance.now() - startedAt) / 100) / 10;
}
