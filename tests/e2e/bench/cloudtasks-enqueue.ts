// Enqueue rate of dispatch() through the Cloud Tasks transport beside raw
// `createTask` calls carrying the same bytes, both against our emulator
// (its own process, queue paused so it only stores tasks). The ratio is
// what the library costs on top of the client: encoding, compression,
// signing and checks. Median of repeated runs.
//
//   node tests/e2e/bench/cloudtasks.ts                   full run (~15 s)
//   BENCH_SIZE=tiny node tests/e2e/bench/cloudtasks.ts   CI smoke (seconds)

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createDispatcher,
  createKeyRing,
  type OutgoingMessage,
} from '@cloud-functions-dispatch/core';
import {
  CALL_ID_HEADER,
  createCloudTasksTransport,
  FUNCTION_HEADER,
} from '@cloud-functions-dispatch/transport-cloudtasks';
import { createFrameCapture } from '../src/fixtures/frame-capture.ts';
import { emulatorClient, startEmulatorProcess } from './emulator-process.ts';

process.env.METADATA_SERVER_DETECTION ??= 'none';

const TINY = process.env.BENCH_SIZE === 'tiny';
const CALLS = TINY ? 50 : 2_000;
const RUNS = TINY ? 3 : 7;
// Rates climb over the first runs (JIT in both processes): discard them.
const WARM_UP_RUNS = TINY ? 1 : 3;
const CONCURRENCY = 32;
const QUEUE = 'projects/bench/locations/here/queues/enqueue';
const URL_NOBODY_ANSWERS = 'http://127.0.0.1:9/dispatch';
const RESULTS = fileURLToPath(
  new URL('../../../bench/results/cloudtasks-enqueue.json', import.meta.url),
);

/** One argument list per payload size, as a caller would pass it. */
const PAYLOADS = {
  small: [{ userId: 'u-42', action: 'refresh', at: new Date(0), n: 7 }],
  '10KB': [{ blob: randomBytes(5_000).toString('hex'), note: 'x' }],
} as const;

type Payload = keyof typeof PAYLOADS;

interface Row {
  payload: Payload;
  frameBytes: number;
  calls: number;
  runs: number;
  concurrency: number;
  dispatchPerSecond: number;
  rawCreateTaskPerSecond: number;
  ratio: number;
}

const keyRing = createKeyRing([{ id: 'bench', secret: randomBytes(32) }]);

/** Runs `call(i)` for i < count with at most `concurrency` in flight. */
async function pool(count: number, call: (i: number) => Promise<unknown>) {
  let next = 0;
  const lane = async () => {
    while (next < count) await call(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
}

/** Calls per second of one run of `count` calls. */
async function rate(call: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await pool(CALLS, call);
  return CALLS / ((performance.now() - start) / 1000);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

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

async function measure(payload: Payload, address: string): Promise<Row> {
  const args = PAYLOADS[payload];
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

  const viaDispatch = () => rate(() => target(...args));
  const viaClient = () =>
    rate(() => client.createTask({ parent: QUEUE, task }));
  for (let run = 0; run < WARM_UP_RUNS; run += 1) {
    await viaDispatch();
    await viaClient();
    await client.purgeQueue({ name: QUEUE });
  }
  const dispatchRates: number[] = [];
  const rawRates: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    dispatchRates.push(await viaDispatch());
    rawRates.push(await viaClient());
    await client.purgeQueue({ name: QUEUE });
  }

  await dispatcher.close();
  await client.close();
  const dispatchPerSecond = median(dispatchRates);
  const rawCreateTaskPerSecond = median(rawRates);
  return {
    payload,
    frameBytes: message.frame.byteLength,
    calls: CALLS,
    runs: RUNS,
    concurrency: CONCURRENCY,
    dispatchPerSecond: Math.round(dispatchPerSecond),
    rawCreateTaskPerSecond: Math.round(rawCreateTaskPerSecond),
    ratio: Number((dispatchPerSecond / rawCreateTaskPerSecond).toFixed(3)),
  };
}

function printTable(rows: readonly Row[]): void {
  console.log(
    `Cloud Tasks enqueue, ${CALLS} calls x ${RUNS} runs, ` +
      `${CONCURRENCY} in flight (median calls/s)`,
  );
  console.table(
    rows.map((row) => ({
      payload: row.payload,
      'frame bytes': row.frameBytes,
      'dispatch()/s': row.dispatchPerSecond,
      'raw createTask/s': row.rawCreateTaskPerSecond,
      'dispatch / raw': row.ratio,
    })),
  );
}

const emulator = await startEmulatorProcess([QUEUE]);
try {
  const pauser = emulatorClient(emulator.address);
  await pauser.pauseQueue({ name: QUEUE });
  await pauser.close();

  const rows: Row[] = [];
  for (const payload of Object.keys(PAYLOADS) as Payload[]) {
    rows.push(await measure(payload, emulator.address));
  }
  printTable(rows);

  mkdirSync(dirname(RESULTS), { recursive: true });
  const report = {
    bench: 'cloudtasks-enqueue',
    size: TINY ? 'tiny' : 'full',
    node: process.version,
    date: new Date().toISOString(),
    rows,
  };
  writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`rows written to ${RESULTS}`);
} finally {
  await emulator.stop();
}
