// Helpers shared by the end-to-end benches.
import {
  benchSize,
  findPubSubEmulator,
  startPubSubEmulator,
} from '@cloud-functions-dispatch/testing';

process.env.METADATA_SERVER_DETECTION ??= 'none';

/** True for `BENCH_SIZE=tiny`: a seconds-long smoke run. */
export const TINY: boolean = benchSize() === 'tiny';

/** Runs `call(i)` for every i below `count`, `concurrency` at a time. */
export async function pool(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await call(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** Calls per second of `count` calls run through {@link pool}. */
export async function poolRate(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<unknown>,
): Promise<number> {
  const start = performance.now();
  await pool(count, concurrency, call);
  return count / ((performance.now() - start) / 1000);
}

/** A Pub/Sub emulator a bench may use, and how to let go of it. */
export interface BenchEmulator {
  readonly host: string;
  readonly projectId: string;
  /** Variables a child process needs to reach it. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops it when this bench started it; otherwise does nothing. */
  release(): Promise<void>;
}

/**
 * The emulator `bench/run.ts` shares through `PUBSUB_EMULATOR_HOST` and
 * `GOOGLE_CLOUD_PROJECT`, else one of our own; undefined (after saying
 * so) when none is installed.
 */
export async function usePubSubEmulator(): Promise<BenchEmulator | undefined> {
  const host = process.env.PUBSUB_EMULATOR_HOST;
  const projectId = process.env.GOOGLE_CLOUD_PROJECT;
  if (host && projectId) {
    const env = {
      PUBSUB_EMULATOR_HOST: host,
      GOOGLE_CLOUD_PROJECT: projectId,
      METADATA_SERVER_DETECTION: 'none',
    };
    return { host, projectId, env, release: async () => {} };
  }
  if (findPubSubEmulator() === undefined) {
    console.error('No Pub/Sub emulator: its benches are left out.');
    return undefined;
  }
  const emulator = await startPubSubEmulator();
  return { ...emulator, release: () => emulator.stop() };
}
