import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CloudTasksClient } from '@google-cloud/tasks';
import { grpc } from 'google-gax';
import { afterEach, describe, expect, it } from 'vitest';
import { nameOf, startTarget, type Target, waitFor } from './test-harness.ts';

const BIN = fileURLToPath(
  new URL('../bin/cloud-tasks-emulator.js', import.meta.url),
);
const QUEUE = 'projects/cli-project/locations/here/queues/cli-queue';

interface RunningCli {
  child: ChildProcess;
  lines: string[];
  address: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startCli(args: string[]): Promise<RunningCli> {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on(
    'line',
    (line) => lines.push(line),
  );
  await waitFor(
    () => lines.length > 0,
    15_000,
    () => 'the ready line',
  );
  const address = /listening on (\S+)/.exec(lines[0] ?? '')?.[1] ?? '';
  return { child, lines, address };
}

/** Runs the bin to its exit; GRPC_VERBOSITY left unset, as by most users. */
async function runCliToExit(
  args: string[],
): Promise<{ code: number | null; stderr: string }> {
  const env = { ...process.env };
  delete env.GRPC_VERBOSITY;
  delete env.GRPC_NODE_VERBOSITY;
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text) => {
    stderr += text;
  });
  const [code] = await once(child, 'exit');
  return { code, stderr };
}

async function holdPort(): Promise<number> {
  const holder = createServer().listen(0, '127.0.0.1');
  await once(holder, 'listening');
  cleanups.push(async () => {
    holder.close();
    await once(holder, 'close');
  });
  return (holder.address() as { port: number }).port;
}

function clientFor(address: string): CloudTasksClient {
  const colon = address.lastIndexOf(':');
  const client = new CloudTasksClient({
    servicePath: address.slice(0, colon),
    port: Number(address.slice(colon + 1)),
    sslCreds: grpc.credentials.createInsecure(),
    projectId: 'cli-project',
  });
  cleanups.push(() => client.close());
  return client;
}

async function startHangingTarget(): Promise<Target> {
  const target = await startTarget(async (request) => {
    await request.closed;
  });
  cleanups.push(() => target.close());
  return target;
}

describe('cloud-tasks-emulator bin', () => {
  it('prints one ready line naming its address and creates its queues', async () => {
    const cli = await startCli(['--port', '0', '--queue', QUEUE]);
    const client = clientFor(cli.address);

    const [queue] = await client.getQueue({ name: QUEUE });

    expect(cli.lines[0]).toMatch(
      /^Cloud Tasks emulator listening on 127\.0\.0\.1:\d+/,
    );
    expect(queue.state).toBe('RUNNING');
  });

  it('logs each dispatch with --log', async () => {
    const target = await startTarget();
    cleanups.push(() => target.close());
    const cli = await startCli(['--port', '0', '--queue', QUEUE, '--log']);
    const client = clientFor(cli.address);

    const [task] = await client.createTask({
      parent: QUEUE,
      task: { httpRequest: { url: `${target.url}/logged` } },
    });
    await waitFor(
      () => cli.lines.length > 1,
      10_000,
      () => 'a log line',
    );

    const id = nameOf(task).slice(nameOf(task).lastIndexOf('/') + 1);
    expect(cli.lines[1]).toContain(`POST ${target.url}/logged -> 200`);
    expect(cli.lines[1]).toContain(`task ${id}`);
  });

  it('exits on SIGTERM with an attempt under way and a task scheduled', async () => {
    const target = await startHangingTarget();
    const cli = await startCli(['--port', '0', '--queue', QUEUE]);
    const client = clientFor(cli.address);
    const inAnHour = { seconds: Math.floor(Date.now() / 1000) + 3600 };
    await client.createTask({
      parent: QUEUE,
      task: { scheduleTime: inAnHour, httpRequest: { url: target.url } },
    });
    await client.createTask({
      parent: QUEUE,
      task: { httpRequest: { url: target.url } },
    });
    await target.waitForRequests(1);

    const exited = once(cli.child, 'exit');
    cli.child.kill('SIGTERM');
    const [code] = await exited;

    expect(code).toBe(0);
  });

  it('explains a taken port in one line, without grpc-js log lines', async () => {
    const port = await holdPort();

    const { code, stderr } = await runCliToExit(['--port', String(port)]);

    expect(code).toBe(1);
    expect(stderr).toBe(
      `cloud-tasks-emulator: startCloudTasksEmulator: cannot listen on ` +
        `127.0.0.1:${port}: address in use: another process listens on ` +
        'this port (EADDRINUSE)\n',
    );
  });
});
