import { spawn } from 'node:child_process';

/**
 * The shell becomes the command (exec) after starting a watchdog subshell
 * that blocks on our stdin pipe. When this process dies, even by SIGKILL,
 * the pipe reaches EOF and the watchdog kills the whole group, so a crashed
 * test run leaves no java or node behind. The pipe is copied to fd 3 first
 * because sh gives a background job /dev/null as stdin; dash's `kill`
 * takes `-9 -PGID` but not `--`.
 */
const WATCHDOG_SCRIPT =
  'exec 3<&0; ( read -r _ <&3; kill -9 -$$ ) & exec "$@" 3<&-';

const DEFAULT_OUTPUT_LIMIT = 64 * 1024;
const DEFAULT_GRACE_MS = 5_000;

/** Options for {@link startProcessGroup}. */
export interface ProcessGroupOptions {
  /** The executable to run (a path or a name on `PATH`). */
  command: string;
  /** Its arguments. */
  args: readonly string[];
  /** Working directory. Default: this process's. */
  cwd?: string;
  /** The whole environment of the child. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Characters of output kept for `output()`. Default 65,536. */
  outputLimit?: number;
}

/** How the group's leader ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A command running in its own process group. */
export interface ProcessGroup {
  /** Pid of the leader, which is also the process group id. */
  readonly pid: number;
  /** Settles once the leader has exited. */
  readonly exited: Promise<ProcessExit>;
  /** True once the leader has exited. */
  hasExited(): boolean;
  /** stdout and stderr as they arrived, the last `outputLimit` chars. */
  output(): string;
  /**
   * Sends `SIGTERM` to the whole group, then `SIGKILL` after `graceMs`
   * (default 5,000 ms) if the leader is still running, and resolves once it
   * has exited and the rest of the group is gone.
   */
  stop(graceMs?: number): Promise<void>;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Starts `command` as the leader of a new process group, with its output
 * captured. The group is killed by `stop()`, when this process exits, and
 * (through a watchdog) when this process is killed.
 */
export function startProcessGroup(options: ProcessGroupOptions): ProcessGroup {
  installExitHook();
  const child = spawn(
    '/bin/sh',
    ['-c', WATCHDOG_SCRIPT, 'sh', options.command, ...options.args],
    {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`startProcessGroup: could not spawn ${options.command}`);
  }
  liveGroups.add(pid);

  const output = createOutputBuffer(options.outputLimit);
  child.stdout.on('data', output.append);
  child.stderr.on('data', output.append);

  let ended = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      resolve({ code, signal });
    });
  });

  const stop = async (graceMs = DEFAULT_GRACE_MS): Promise<void> => {
    if (!ended) {
      signalGroup(pid, 'SIGTERM');
      await waitForExit(exited, graceMs, () => signalGroup(pid, 'SIGKILL'));
    }
    // The leader is gone; sweep the watchdog and anything it spawned.
    // Its zombies are reaped by init, sometimes a second later: no wait.
    signalGroup(pid, 'SIGKILL');
    liveGroups.delete(pid);
    child.stdin.destroy();
  };

  return { pid, exited, hasExited: () => ended, output: output.read, stop };
}

async function waitForExit(
  exited: Promise<ProcessExit>,
  graceMs: number,
  onTimeout: () => void,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });

  const first = await Promise.race([exited, graceOver]);
  clearTimeout(timer);
  if (first === undefined) {
    onTimeout();
    await exited;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** True while any process of group `pgid` exists (zombies included). */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  });
}

function createOutputBuffer(limit = DEFAULT_OUTPUT_LIMIT): {
  append: (chunk: Buffer) => void;
  read: () => string;
} {
  let text = '';
  return {
    append: (chunk) => {
      text += chunk.toString('utf8');
      if (text.length > limit) text = text.slice(-limit);
    },
    read: () => text,
  };
}
