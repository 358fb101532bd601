// Test support: a functions-framework worker in a child process whose pid
// and exit the test can see (to signal it and watch it exit by itself).
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import {
  getFreePort,
  type ProcessGroup,
  startProcessGroup,
  waitUntil,
} from '@cloud-functions-dispatch/testing';

/** A running worker and its process. */
export interface WorkerProcess {
  readonly url: string;
  readonly process: ProcessGroup;
}

/** Options of {@link startWorkerProcess}. */
export interface WorkerProcessOptions {
  /** The entry module (`--source`). */
  source: string;
  /** Default `dispatch`. */
  target?: string;
  /** Default `http`. */
  signatureType?: 'http' | 'cloudevent';
  env: Record<string, string>;
}

/** Starts functions-framework's CLI on `source` and waits until it listens. */
export async function startWorkerProcess(
  options: WorkerProcessOptions,
): Promise<WorkerProcess> {
  const port = await getFreePort();
  const group = startProcessGroup({
    command: process.execPath,
    args: [
      frameworkMain(),
      `--source=${options.source}`,
      `--target=${options.target ?? 'dispatch'}`,
      `--signature-type=${options.signatureType ?? 'http'}`,
      `--port=${port}`,
    ],
    env: {
      ...process.env,
      ...options.env,
      METADATA_SERVER_DETECTION: 'none',
    },
  });

  const listening = await waitUntil(
    async () => group.hasExited() || (await accepts(port)),
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  if (!listening || group.hasExited()) {
    await group.stop(0);
    throw new Error(
      `startWorkerProcess: no listener; output:\n${group.output()}`,
    );
  }
  return { url: `http://127.0.0.1:${port}`, process: group };
}

// The CLI is `build/src/main.js`, beside the package's entry point.
function frameworkMain(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@google-cloud/functions-framework');
  return join(dirname(entry), 'main.js');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
