// `.fanOut()` of many calls on the Pub/Sub emulator beside the best
// hand-written loop that publishes the same number of frames of the same
// size in batches (`Promise.all` over chunks), each side in a fresh
// process: calls per second, and how much resident memory grew.
//
//   node bench/fan-out.ts        (BENCH_SIZE=tiny: seconds)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  benchRow,
  compareRuns,
  median,
  uniqueName,
  writeBenchResults,
} from '@cloud-functions-dispatch/testing';
import {
  createPubSubClient,
  ensureTopic,
} from '@cloud-functions-dispatch/transport-pubsub';
import { TINY, usePubSubEmulator } from './support.ts';

const CALLS = TINY ? 3_000 : 100_000;
const RUNS = TINY ? 1 : 3;
const BATCH = 1_000;
const CONCURRENCY = 1_000;

interface ChildFigures {
  seconds: number;
  rssStartMB: number;
  rssPeakMB: number;
}

function runChild(mode: string, env: Record<string, string>): ChildFigures {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', join(import.meta.dirname, 'fan-out-child.ts'), mode],
    { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 2 ** 24 },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(`fan-out bench: ${mode} failed:\n${child.stderr}`);
  }
  return JSON.parse(line) as ChildFigures;
}

const emulator = await usePubSubEmulator();
if (emulator !== undefined) {
  try {
    const topic = uniqueName('fan-out');
    const pubsub = createPubSubClient({
      projectId: emulator.projectId,
      emulatorHost: emulator.host,
    });
    await ensureTopic(pubsub, topic);
    await pubsub.close();
    const env = {
      ...emulator.env,
      FAN_OUT_TOPIC: topic,
      FAN_OUT_CALLS: String(CALLS),
      FAN_OUT_BATCH: String(BATCH),
      FAN_OUT_CONCURRENCY: String(CONCURRENCY),
    };

    const growth: number[] = [];
    const compared = await compareRuns(
      () => {
        const figures = runChild('fan-out', env);
        growth.push(figures.rssPeakMB - figures.rssStartMB);
        return CALLS / figures.seconds;
      },
      () => CALLS / runChild('batched', env).seconds,
      { rounds: RUNS, warmUpRounds: 0 },
    );

    const name = `${CALLS.toLocaleString('en-US')} calls`;
    writeBenchResults('fan-out', [
      benchRow({
        bench: 'fan-out',
        subject: '.fanOut() on Pub/Sub (emulator)',
        case: `${name}, concurrency ${CONCURRENCY}`,
        unit: 'calls/s',
        ours: compared.ours,
        baselineName: `publishMessage loop, batches of ${BATCH}`,
        baseline: compared.baseline,
        target: { on: 'ratio', op: '>=', value: 0.9 },
        runs: RUNS,
      }),
      benchRow({
        bench: 'fan-out',
        subject: '.fanOut() resident memory growth',
        case: name,
        unit: 'MB',
        ours: median(growth),
        target: { on: 'ours', op: '<', value: 150 },
        runs: RUNS,
      }),
    ]);
  } finally {
    await emulator.release();
  }
}
