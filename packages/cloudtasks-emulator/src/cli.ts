import { logVerbosity, setLogVerbosity } from '@grpc/grpc-js';
import { Command, InvalidArgumentError } from 'commander';
import { formatDispatchLogEntry } from './dispatch-log.ts';
import { startCloudTasksEmulator } from './emulator.ts';

interface CliOptions {
  port: number;
  host: string;
  queue: string[];
  nameReuseWindowMs: number;
  minDispatchDeadlineMs: number;
  oidcKeysPort?: number;
  log: boolean;
}

const program = new Command('cloud-tasks-emulator')
  .description('A local Google Cloud Tasks v2 server (gRPC, in memory).')
  .option('-p, --port <port>', 'gRPC port (0 picks a free one)', toPort, 8123)
  .option('-H, --host <host>', 'interface to listen on', '127.0.0.1')
  .option(
    '-q, --queue <name>',
    'queue to create at start, projects/P/locations/L/queues/Q (repeatable)',
    (name: string, names: string[]) => [...names, name],
    [] as string[],
  )
  .option(
    '--name-reuse-window-ms <ms>',
    'how long a finished or deleted task name stays taken',
    toCount,
    3_600_000,
  )
  .option(
    '--min-dispatch-deadline-ms <ms>',
    'shortest dispatchDeadline CreateTask accepts',
    toCount,
    15_000,
  )
  .option(
    '--oidc-keys-port <port>',
    'serve the OIDC signing key at /oauth2/v3/certs and /oauth2/v1/certs',
    toPort,
  )
  .option('--log', 'print one line per dispatch attempt', false);

const options = program.parse().opts<CliOptions>();
quietGrpcLogs();
try {
  await run(options);
} catch (error) {
  console.error(`cloud-tasks-emulator: ${(error as Error).message}`);
  process.exitCode = 1;
}

async function run(options: CliOptions): Promise<void> {
  const emulator = await startCloudTasksEmulator({
    port: options.port,
    host: options.host,
    queues: options.queue,
    nameReuseWindowMs: options.nameReuseWindowMs,
    minDispatchDeadlineMs: options.minDispatchDeadlineMs,
    ...(options.oidcKeysPort === undefined
      ? {}
      : { oidcKeysPort: options.oidcKeysPort }),
    logDispatches: options.log
      ? (entry) => console.log(formatDispatchLogEntry(entry))
      : false,
  });

  const keys = emulator.jwksUrl ? `, OIDC keys at ${emulator.jwksUrl}` : '';
  console.log(
    `Cloud Tasks emulator listening on ${emulator.address} ` +
      `(CLOUD_TASKS_EMULATOR_HOST=${emulator.address}${keys})`,
  );

  // Closing leaves nothing running, so the process then exits on its own.
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void emulator.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * grpc-js writes its own lines to stderr (a failed bind prints `E No
 * address added ...` before our error explains it). This process is the
 * emulator alone, so its grpc logs stay off unless the user asks for
 * them with GRPC_VERBOSITY or GRPC_NODE_VERBOSITY.
 */
function quietGrpcLogs(): void {
  const asked = process.env.GRPC_NODE_VERBOSITY ?? process.env.GRPC_VERBOSITY;
  if (asked === undefined) setLogVerbosity(logVerbosity.NONE);
}

function toPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('expected a port number 0-65535');
  }
  return port;
}

function toCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) {
    throw new InvalidArgumentError('expected a whole number >= 0');
  }
  return count;
}
