// The receiver under fuzzing, in this process: a dispatcher holding the
// current key only, three functions, and the HTTP handler served by
// functions-framework's own test server on a free loopback port.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  createDispatcher,
  currentCall,
  type LogFields,
  type Logger,
} from '@cloud-functions-dispatch/core';
import { createHttpHandler } from '@cloud-functions-dispatch/receiver-gcf';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { FuzzKeys } from './fuzz-material.ts';

/** What ran on the worker, and how it logged. */
export interface FuzzTarget {
  readonly url: string;
  /** Runs of `canary`: every input naming it is forged or damaged. */
  readonly canaryRuns: () => number;
  /** Runs of `probe`, which checks that its argument polluted nothing. */
  readonly probeRuns: () => number;
  /** What `probe` found wrong (pollution seen inside a body). */
  readonly probeProblems: string[];
  /** Log entries by `level reason`. */
  readonly logCounts: Map<string, number>;
  stop(): Promise<void>;
}

/** Smaller than the default 32 MiB, so a "too large" input stays small. */
const MAX_UNCOMPRESSED_BYTES = 64 * 1024;

/** Starts the target; see the file comment. */
export async function startFuzzTarget(keys: FuzzKeys): Promise<FuzzTarget> {
  const logCounts = new Map<string, number>();
  const logger = countingLogger(logCounts);
  const worker = createDispatcher({
    signing: { keys: [keys.current] },
    maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES,
    logger,
  });

  let canaryRuns = 0;
  let probeRuns = 0;
  const probeProblems: string[] = [];
  worker.dispatch('canary', async (_text: string, _index: number) => {
    canaryRuns += 1;
  });
  worker.dispatch('probe', async (value: unknown) => {
    probeRuns += 1;
    const problem =
      pollutionIn(value) ?? pollutionIn(currentCall()?.metadata, 'metadata');
    if (problem) probeProblems.push(problem);
  });
  worker.dispatch('fuzzSink', async (_value: unknown) => {});

  http(
    'fuzzTarget',
    createHttpHandler({
      dispatcher: worker,
      logger,
      signing: { keys: [keys.current] },
    }),
  );
  const server = getTestServer('fuzzTarget');
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    canaryRuns: () => canaryRuns,
    probeRuns: () => probeRuns,
    probeProblems,
    logCounts,
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function pollutionIn(value: unknown, what = 'argument'): string | undefined {
  const empty: Record<string, unknown> = {};
  if ('polluted' in empty) return 'a plain object has "polluted"';
  if (typeof value === 'object' && value !== null) {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      return `the ${what} has a foreign prototype`;
    }
    if ('polluted' in value && !Object.hasOwn(value, 'polluted')) {
      return `the ${what} inherits "polluted"`;
    }
  }
  return undefined;
}

function countingLogger(counts: Map<string, number>): Logger {
  const count = (level: string) => (_message: string, fields?: LogFields) => {
    const key = `${level} ${String(fields?.reason ?? '-')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  return {
    debug: count('debug'),
    info: count('info'),
    warn: count('warn'),
    error: count('error'),
  };
}
