// The end-to-end benches, one process each (memory and JIT state do not
// carry over from one to the next), sharing one Pub/Sub emulator. Each
// writes its rows to bench/results/<name>.json at the repository root.
//
//   node bench/run.ts [name ...]    e.g. node bench/run.ts receiver
//   BENCH_SIZE=tiny node bench/run.ts
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { usePubSubEmulator } from './support.ts';

const BENCHES = [
  'cloudtasks-enqueue',
  'pubsub-publish',
  'receiver',
  'fan-out',
  'end-to-end',
];

const chosen = process.argv.slice(2);
const names = chosen.length > 0 ? chosen : BENCHES;
const emulator = await usePubSubEmulator();
const failed: string[] = [];
try {
  for (const name of names) {
    console.log(`bench ${name}`);
    const child = spawnSync(
      process.execPath,
      [join(import.meta.dirname, `${name}.ts`)],
      { stdio: 'inherit', env: { ...process.env, ...emulator?.env } },
    );
    if (child.status !== 0) failed.push(name);
  }
} finally {
  await emulator?.release();
}

if (failed.length > 0) {
  console.error(`benches that failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
