import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findPubSubEmulator } from '@cloud-functions-dispatch/testing';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

interface DemoRun {
  code: number | null;
  output: string;
}

function runDemo(args: string[], interruptAfterMs?: number): Promise<DemoRun> {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', main, ...args],
    { env: { ...process.env, PUBSUB_EMULATOR_HOST: '' } },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  if (interruptAfterMs !== undefined) {
    setTimeout(() => child.kill('SIGINT'), interruptAfterMs);
  }
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ code, output }));
  });
}

const small = ['--users', '60', '--items', '3', '--fail-rate', '0.2'];

describe('the demo', () => {
  it('verifies the database after a run on Cloud Tasks', async () => {
    const run = await runDemo(['--transport', 'cloudtasks', ...small]);

    expect(run.output).toMatch(/calls\s+│\s+60/);
    expect(run.output).toContain('verified');
    expect(run.code).toBe(0);
  }, 120_000);

  it.skipIf(!findPubSubEmulator())(
    'verifies the database after a run on Pub/Sub',
    async () => {
      const run = await runDemo(['--transport', 'pubsub', ...small]);

      expect(run.output).toMatch(/calls\s+│\s+60/);
      expect(run.output).toContain('verified');
      expect(run.code).toBe(0);
    },
    180_000,
  );

  it('stops quietly on Ctrl-C in the middle of a run', async () => {
    const args = ['--transport', 'cloudtasks', '--users', '20000'];
    const run = await runDemo(args, 4000);

    expect(run.output).toContain('SIGINT: stopping what the demo started');
    expect(run.output).not.toContain('failed:');
    expect(run.output).not.toContain('verified');
    expect(run.code).toBe(130);
  }, 60_000);

  it('refuses a fail rate outside 0 to 1 and names the option', async () => {
    const run = await runDemo(['--fail-rate', '1.5']);

    expect(run.output).toContain('--fail-rate');
    expect(run.code).not.toBe(0);
  });
});
