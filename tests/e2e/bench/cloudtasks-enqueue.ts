// Enqueue rate of dispatch() through the Cloud Tasks transport beside raw
// `createTask` calls carrying the same bytes, both against our emulator
// (its own process, queue paused so it only stores tasks). The ratio is
// what the library costs on top of the client: encoding, compression,
// signing and checks. Medians of alternating runs.
//
//   node bench/cloudtasks-enqueue.ts        (BENCH_SIZE=tiny: seconds)
import { randomBytes } from 'node:crypto';
import {
  createDispatcher,
  createKeyRing,
  type OutgoingMessage,
} from '@cloud-functions-dispatch/core';
import {
  type BenchRow,
  benchRow,
  compareRuns,
  writeBenchResults,
} from '@cloud-functions-dispatch/testing';
import {
  CALL_ID_HEADER,
  createCloudTasksTransport,
  FUNCTION_HEADER,
} from '@cloud-functions-dispatch/transport-cloudtasks';
import { createFrameCapture } from '../src/fixtures/frame-capture.ts';
import { emulatorClient, startEmulatorProcess } from './emulator-process.ts';
import { poolRate, TINY } from './support.ts';

const CALLS = TINY ? 100 : 2_000;
const RUNS = TINY ? 3 : 9;
// Rates climb over the first runs (JIT in both processes): discard them.
const WARM_UP_RUNS = TINY ? 1 : 3;
const CONCURRENCY = 32;
const QUEUE = 'projects/bench/locations/here/queues/enqueue';
const URL_NOBODY_ANSWERS = 'http://127.0.0.1:9/dispatch';

/** One argument list per payload size, as a caller would pass it. */
const PAYLOADS: Record<string, readonly unknown[]> = {
  small: [{ userId: 'u-42', action: 'refresh', at: new Date(0), n: 7 }],
  '10 KB': [{ blob: randomBytes(5_000).toString('hex'), note: 'x' }],
};

const keyRing = createKeyRing([{ id: 'bench', secret: randomBytes(32) }]);

/** The message core would send for `args`, sealed once. */
async function sealOnce(args: readonly unknown[]): Promise<OutgoingMessage> {
  const capture = createFrameCapture();
  const dispatcher = createDispatcher({ transport: capture, signing: keyRing });
  const target = dispatcher.dispatch(
    'benchTarget',
    async (..._: unknown[]) => {},
  );
  await target(...args);
  return capture.last();
}

function rawTask(message: OutgoingMessage) {
  return {
    httpRequest: {
      url: URL_NOBODY_ANSWERS,
      httpMethod: 'POST' as const,
      headers: {
        'Content-Type': 'application/octet-stream',
        [FUNCTION_HEADER]: message.functionName,
        [CALL_ID_HEADER]: message.callId,
      },
      body: Buffer.from(message.frame),
    },
  };
}

async function measure(payload: string, address: string): Promise<BenchRow> {
  const args = PAYLOADS[payload] ?? [];
  const transport = createCloudTasksTransport({
    queue: QUEUE,
    url: URL_NOBODY_ANSWERS,
    emulatorHost: address,
  });
  const dispatcher = createDispatcher({ transport, signing: keyRing });
  const target = dispatcher.dispatch(
    'benchTarget',
    async (..._: unknown[]) => {},
  );
  const client = emulatorClient(address);
  const message = await sealOnce(args);
  const task = rawTask(message);

  const purgeAfter = async (rate: Promise<number>) => {
    const figure = await rate;
    await client.purgeQueue({ name: QUEUE });
    return figure;
  };
  const compared = await compareRuns(
    () => purgeAfter(poolRate(CALLS, CONCURRENCY, () => target(...args))),
    () =>
      purgeAfter(
        poolRate(CALLS, CONCURRENCY, () =>
          client.createTask({ parent: QUEUE, task }),
        ),
      ),
    { rounds: RUNS, warmUpRounds: WARM_UP_RUNS },
  );

  await dispatcher.close();
  await client.close();
  return benchRow({
    bench: 'cloudtasks-enqueue',
    subject: 'Cloud Tasks enqueue (own emulator)',
    case: `${payload} (${message.frame.byteLength} B frame)`,
    unit: 'calls/s',
    ours: compared.ours,
    baselineName: 'raw createTask',
    baseline: compared.baseline,
    target: { on: 'ratio', op: '>=', value: 0.95 },
    runs: RUNS,
  });
}

const emulator = await startEmulatorProcess([QUEUE]);
try {
  const pauser = emulatorClient(emulator.address);
  await pauser.pauseQueue({ name: QUEUE });
  await pauser.close();

  const rows: BenchRow[] = [];
  for (const payload of Object.keys(PAYLOADS)) {
    rows.push(await measure(payload, emulator.address));
  }
  console.table(
    rows.map(({ case: c, ours, baseline, ratio }) => ({
      c,
      ours,
      baseline,
      ratio,
    })),
  );
  writeBenchResults('cloudtasks-enqueue', rows);
} finally {
  await emulator.stop();
}
