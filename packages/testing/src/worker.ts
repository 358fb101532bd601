import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { getFreePort } from './free-port.ts';
import { type ProcessGroup, startProcessGroup } from './process-group.ts';
import { waitUntil } from './wait-until.ts';

const FRAMEWORK = '@google-cloud/functions-framework';
const PORT_ATTEMPTS = 3;

/** Options for {@link startWorker}. */
export interface WorkerOptions {
  /**
   * The module that exports the function: a `.js`, `.mjs` or `.ts` file
   * (Node 24 strips the types). A `.ts` or `.js` file needs a nearest
   * package.json with `"type": "module"` to load as ESM.
   */
  source: string;
  /** The exported function's name (`--target`). */
  target: string;
  /** How the framework calls it (`--signature-type`). */
  signatureType: 'http' | 'cloudevent';
  /** Extra environment for the worker, on top of this process's. */
  env?: Record<string, string>;
  /** Port to listen on. Default: a free one, retried if taken meanwhile. */
  port?: number;
  /** Give up if it does not listen within this many ms. Default 30,000. */
  startTimeoutMs?: number;
  /** `stop()` kills it this many ms after SIGTERM. Default 5,000. */
  stopTimeoutMs?: number;
}

/** A functions-framework server running in a child process. */
export interface Worker {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** What the worker printed so far (stdout and stderr). */
  output(): string;
  /** Its process, for tests that signal it or watch it exit. */
  readonly process: ProcessGroup;
  /** SIGTERM, then SIGKILL after `stopTimeoutMs`; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Runs `functions-framework` (the package's own CLI, with this Node) on a
 * fixture module and resolves once it accepts connections. The framework
 * listens on every interface (it has no host option); talk to it on
 * 127.0.0.1 only.
 *
 * @example
 * const worker = await startWorker({
 *   source: fileURLToPath(new URL('./fixtures/hello.ts', import.meta.url)),
 *   target: 'hello',
 *   signatureType: 'http',
 * });
 * await fetch(worker.url);
 * await worker.stop();
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const source = resolve(options.source);
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;

  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await getFreePort());
    const group = spawnFramework(options, source, port);
    const problem = await waitForListening(group, port, options);
    if (problem === undefined) return describeWorker(group, port, options);

    await group.stop(0);
    const output = group.output();
    if (attempt >= attempts || !output.includes('EADDRINUSE')) {
      throw new Error(
        `startWorker: ${options.target} from ${source} on port ${port} ` +
          `${problem}; its output:\n${output.slice(-4000)}`,
      );
    }
  }
}

function spawnFramework(
  options: WorkerOptions,
  source: string,
  port: number,
): ProcessGroup {
  return startProcessGroup({
    command: process.execPath,
    args: [
      frameworkBin(),
      `--target=${options.target}`,
      `--source=${source}`,
      `--signature-type=${options.signatureType}`,
      `--port=${port}`,
    ],
    env: {
      ...process.env,
      ...options.env,
      METADATA_SERVER_DETECTION: 'none',
    },
  });
}

async function waitForListening(
  group: ProcessGroup,
  port: number,
  options: WorkerOptions,
): Promise<string | undefined> {
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const settled = await waitUntil(
    async () => group.hasExited() || (await acceptsConnections(port)),
    { timeoutMs, intervalMs: 50 },
  );
  if (group.hasExited()) return 'exited before it listened';
  if (!settled) return `did not listen within ${timeoutMs} ms`;
  return undefined;
}

function describeWorker(
  group: ProcessGroup,
  port: number,
  options: WorkerOptions,
): Worker {
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output: group.output,
    process: group,
    stop: () => group.stop(options.stopTimeoutMs),
  };
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

let cachedBin: string | undefined;

/** The CLI file named by the framework's package.json `bin`. */
function frameworkBin(): string {
  if (cachedBin !== undefined) return cachedBin;

  // The package's `exports` hides package.json: walk up from its entry.
  const entry = createRequire(import.meta.url).resolve(FRAMEWORK);
  for (let folder = dirname(entry); folder !== dirname(folder); ) {
    const manifest = readManifest(join(folder, 'package.json'));
    const bin = manifest?.name === FRAMEWORK ? manifest.bin : undefined;
    if (bin !== undefined) {
      cachedBin = join(folder, bin['functions-framework'] ?? '');
      return cachedBin;
    }
    folder = dirname(folder);
  }
  throw new Error(`startWorker: cannot find the CLI of ${FRAMEWORK}`);
}

interface Manifest {
  name?: string;
  bin?: Record<string, string>;
}

function readManifest(path: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}
