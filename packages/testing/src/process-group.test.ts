import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isGroupAlive,
  type ProcessGroup,
  startProcessGroup,
} from './process-group.ts';
import { waitUntil } from './wait-until.ts';

const ORPHANED_GROUP = fileURLToPath(
  new URL('./fixtures/orphaned-group.ts', import.meta.url),
);

describe('startProcessGroup', () => {
  const started: ProcessGroup[] = [];
  const orphans: number[] = [];

  afterEach(async () => {
    await Promise.all(started.splice(0).map((group) => group.stop(0)));
    for (const pgid of orphans.splice(0)) {
      if (isGroupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    }
  });

  function start(script: string): ProcessGroup {
    const group = startProcessGroup({ command: 'sh', args: ['-c', script] });
    started.push(group);
    return group;
  }

  it('captures stdout and stderr', async () => {
    const group = start('echo out; echo err >&2');

    expect(await group.exited).toEqual({ code: 0, signal: null });
    await waitUntil(() => group.output().includes('err'), { timeoutMs: 5000 });
    expect(group.output()).toContain('out\n');
    expect(group.output()).toContain('err\n');
  });

  it('stops every process of the group, not only the leader', async () => {
    const group = start('sleep 300 & sleep 300 & wait');

    await group.stop();

    const gone = await waitUntil(() => !isGroupAlive(group.pid), {
      timeoutMs: 10_000,
    });
    expect(gone).toBe(true);
  });

  it('kills a group that ignores SIGTERM once the grace period ends', async () => {
    const group = start("trap '' TERM; echo ready; while :; do sleep 1; done");
    await waitUntil(() => group.output().includes('ready'), {
      timeoutMs: 5000,
    });

    await group.stop(200);

    expect(await group.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('kills the group when the process that started it is killed', async () => {
    const parent = spawn(process.execPath, [ORPHANED_GROUP], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [firstLine] = (await once(parent.stdout, 'data')) as [Buffer];
    const pgid = Number(firstLine.toString().trim());
    orphans.push(pgid);
    expect(isGroupAlive(pgid)).toBe(true);

    parent.kill('SIGKILL');
    await once(parent, 'exit');

    const gone = await waitUntil(() => !isGroupAlive(pgid), {
      timeoutMs: 10_000,
    });
    expect(gone).toBe(true);
  });
});
