import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPubSubEmulator } from './find-pubsub-emulator.ts';
import { getFreePort } from './free-port.ts';
import { httpAnswers } from './http-answers.ts';
import { type ProcessGroup, startProcessGroup } from './process-group.ts';
import { uniqueName } from './unique-name.ts';
import { waitUntil } from './wait-until.ts';

const PORT_ATTEMPTS = 3;
const PORT_TAKEN = /BindException|Address already in use/;

/** Options for {@link startPubSubEmulator}. */
export interface PubSubEmulatorOptions {
  /** Project id the handle reports. Default: a `uniqueName('project')`. */
  projectId?: string;
  /** The emulator launcher. Default: {@link findPubSubEmulator}. */
  bin?: string;
  /** Give up if it does not answer within this many ms. Default 60,000. */
  startTimeoutMs?: number;
  /** `stop()` kills it this many ms after SIGTERM. Default 5,000. */
  stopTimeoutMs?: number;
}

/** A running Pub/Sub emulator on 127.0.0.1. */
export interface PubSubEmulator {
  /** `127.0.0.1:PORT`, the value for `PUBSUB_EMULATOR_HOST`. */
  readonly host: string;
  readonly port: number;
  readonly projectId: string;
  /** Pid of the emulator, which is also its process group id. */
  readonly pid: number;
  /** Variables a child process needs to use this emulator. */
  readonly env: Readonly<Record<string, string>>;
  /** What the emulator printed so far. */
  output(): string;
  /** Kills the emulator's whole process group and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * Starts Google's Pub/Sub emulator on a free port of 127.0.0.1, in its own
 * process group and a temporary working directory, and resolves once it
 * answers HTTP. Also sets `METADATA_SERVER_DETECTION=none` in this process
 * (unless already set), since clients will now target an emulator.
 *
 * @example
 * const emulator = await startPubSubEmulator();
 * const pubsub = new PubSub({
 *   projectId: emulator.projectId,
 *   apiEndpoint: emulator.host,
 * });
 * // ...
 * await emulator.stop();
 */
export async function startPubSubEmulator(
  options: PubSubEmulatorOptions = {},
): Promise<PubSubEmulator> {
  const bin = options.bin ?? findPubSubEmulator();
  if (bin === undefined) {
    throw new Error(
      'startPubSubEmulator: no emulator found; install the Debian package ' +
        'google-cloud-cli-pubsub-emulator or set PUBSUB_EMULATOR_BIN',
    );
  }
  process.env.METADATA_SERVER_DETECTION ??= 'none';

  const projectId = options.projectId ?? uniqueName('project');
  for (let attempt = 1; ; attempt += 1) {
    const port = await getFreePort();
    const started = await startOnPort(bin, port, options);
    if ('group' in started) {
      return describeEmulator(started, port, projectId, options);
    }
    if (attempt >= PORT_ATTEMPTS || !PORT_TAKEN.test(started.output)) {
      throw new Error(started.message);
    }
  }
}

interface Started {
  group: ProcessGroup;
  dataDir: string;
}

interface Failed {
  message: string;
  output: string;
}

async function startOnPort(
  bin: string,
  port: number,
  options: PubSubEmulatorOptions,
): Promise<Started | Failed> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pubsub-emulator-'));
  const group = startProcessGroup({
    command: bin,
    args: ['--host=127.0.0.1', `--port=${port}`],
    cwd: dataDir,
    env: process.env,
  });

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const ready = await waitUntil(
    async () => group.hasExited() || (await httpAnswers(port)),
    { timeoutMs, intervalMs: 100 },
  );
  if (ready && !group.hasExited()) return { group, dataDir };

  const problem = group.hasExited()
    ? 'exited before it answered'
    : `did not answer within ${timeoutMs} ms`;
  await group.stop(0);
  await rm(dataDir, { recursive: true, force: true });
  const output = group.output();
  return {
    message:
      `startPubSubEmulator: ${bin} on 127.0.0.1:${port} ${problem}; ` +
      `its last output:\n${output.slice(-4000)}`,
    output,
  };
}

function describeEmulator(
  started: Started,
  port: number,
  projectId: string,
  options: PubSubEmulatorOptions,
): PubSubEmulator {
  const host = `127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await started.group.stop(options.stopTimeoutMs);
    await rm(started.dataDir, { recursive: true, force: true });
  };

  return {
    host,
    port,
    projectId,
    pid: started.group.pid,
    env: {
      PUBSUB_EMULATOR_HOST: host,
      PUBSUB_PROJECT_ID: projectId,
      GOOGLE_CLOUD_PROJECT: projectId,
      METADATA_SERVER_DETECTION: 'none',
    },
    output: started.group.output,
    stop,
  };
}
