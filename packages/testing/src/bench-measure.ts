/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * The `p`th percentile (0-100) by linear interpolation between the
 * nearest ranks; NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** Options of {@link compareRuns}. */
export interface CompareRunsOptions {
  /** Measured rounds; each runs both sides once. */
  rounds: number;
  /** Rounds run first and thrown away (JIT, connections). Default 1. */
  warmUpRounds?: number;
}

/** Medians of both sides of {@link compareRuns}, and the raw figures. */
export interface ComparedRuns {
  ours: number;
  baseline: number;
  oursRuns: number[];
  baselineRuns: number[];
}

/**
 * Runs `ours` and `baseline` in alternating rounds, swapping which goes
 * first each round, so both see the same drift of a shared machine, and
 * returns the median figure of each. Each function returns its own
 * figure for one run (operations per second, say).
 */
export async function compareRuns(
  ours: () => Promise<number> | number,
  baseline: () => Promise<number> | number,
  options: CompareRunsOptions,
): Promise<ComparedRuns> {
  const oursRuns: number[] = [];
  const baselineRuns: number[] = [];
  const warmUp = options.warmUpRounds ?? 1;

  for (let round = 0; round < warmUp + options.rounds; round += 1) {
    // Object literals evaluate in source order: this picks who goes first.
    const figures =
      round % 2 === 0
        ? { ours: await ours(), baseline: await baseline() }
        : { baseline: await baseline(), ours: await ours() };
    if (round >= warmUp) {
      oursRuns.push(figures.ours);
      baselineRuns.push(figures.baseline);
    }
  }
  return {
    ours: median(oursRuns),
    baseline: median(baselineRuns),
    oursRuns,
    baselineRuns,
  };
}
