import { MultiBar, Presets } from 'cli-progress';

/** The live display of calls dispatched and calls executed. */
export interface Progress {
  update(dispatched: number, executed: number): void;
  stop(): void;
}

/** A two-bar display, or nothing when the output is not a terminal. */
export function createProgress(total: number, enabled: boolean): Progress {
  if (!enabled) return { update() {}, stop() {} };

  const bars = new MultiBar(
    {
      format: ' {label} [{bar}] {value}/{total}',
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  const dispatched = bars.create(total, 0, { label: 'dispatched' });
  const executed = bars.create(total, 0, { label: 'executed  ' });

  return {
    update(dispatchedCount, executedCount) {
      dispatched.update(dispatchedCount);
      executed.update(executedCount);
    },
    stop() {
      bars.stop();
    },
  };
}
