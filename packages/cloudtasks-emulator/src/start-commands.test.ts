import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './test-harness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PNPM = fileURLToPath(
  new URL('../../../node_modules/.bin/pnpm', import.meta.url),
);
const READMES = [
  new URL('../README.md', import.meta.url),
  new URL('../../transport-cloudtasks/README.md', import.meta.url),
];
const PACKAGE_NAME = '@cloud-functions-dispatch/cloudtasks-emulator';

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    // The whole group: pnpm, the shell it runs and the emulator.
    process.kill(-(child.pid ?? 0), 'SIGTERM');
    await exited;
  }
});

describe('the documented ways to start the emulator', () => {
  it('runs from the repository root as the cloud-tasks-emulator script', async () => {
    const child = spawn(PNPM, ['cloud-tasks-emulator', '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    running.push(child);
    const lines: string[] = [];
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on(
      'line',
      (line) => lines.push(line),
    );

    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error('the script exited');
        return lines.some((line) => line.includes('listening on'));
      },
      15_000,
      () => `the ready line, got ${JSON.stringify(lines)}`,
    );
  });

  it('has the READMEs run npx only with the scoped package or pnpm', async () => {
    for (const readme of READMES) {
      const text = await readFile(readme, 'utf8');
      const commands = text.match(/^npx .*$/gm) ?? [];

      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) {
        expect(command).toMatch(
          new RegExp(`^npx (${PACKAGE_NAME}|-y pnpm@10\\.34\\.9) `),
        );
      }
    }
  });
});
