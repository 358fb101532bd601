import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type ProcessGroup,
  startProcessGroup,
  waitUntil,
} from '@cloud-functions-dispatch/testing';
import { CloudTasksClient } from '@google-cloud/tasks';
import { grpc } from 'google-gax';

/** Our Cloud Tasks emulator running as its own process, as users run it. */
export interface EmulatorProcess {
  /** `127.0.0.1:port`, the value of CLOUD_TASKS_EMULATOR_HOST. */
  readonly address: string;
  stop(): Promise<void>;
}

const READY = /CLOUD_TASKS_EMULATOR_HOST=([^\s,)]+)/;

/**
 * Starts the emulator's own bin (`cloud-tasks-emulator`) on a free port
 * with the given queues, and resolves once it printed its address. A
 * separate process keeps its work off the benchmark's event loop.
 */
export async function startEmulatorProcess(
  queues: readonly string[],
): Promise<EmulatorProcess> {
  const group = startProcessGroup({
    command: process.execPath,
    args: [emulatorBin(), '--port', '0', ...queues.flatMap((q) => ['-q', q])],
  });
  const ready = () => READY.exec(group.output())?.[1];

  await waitUntil(() => ready() !== undefined || group.hasExited(), {
    timeoutMs: 30_000,
  });
  const address = ready();
  if (address === undefined) {
    await group.stop(0);
    throw new Error(`cloud-tasks-emulator did not start:\n${group.output()}`);
  }
  return { address, stop: () => stopGroup(group) };
}

/** The official client, talking plaintext gRPC to the emulator. */
export function emulatorClient(address: string): CloudTasksClient {
  const colon = address.lastIndexOf(':');
  return new CloudTasksClient({
    servicePath: address.slice(0, colon),
    port: Number(address.slice(colon + 1)),
    sslCreds: grpc.credentials.createInsecure(),
    projectId: 'bench',
  });
}

function stopGroup(group: ProcessGroup): Promise<void> {
  return group.stop(5_000);
}

function emulatorBin(): string {
  // The package's exports hide package.json and bin: go from its entry.
  const entry = createRequire(import.meta.url).resolve(
    '@cloud-functions-dispatch/cloudtasks-emulator',
  );
  return join(dirname(entry), '..', 'bin', 'cloud-tasks-emulator.js');
}
