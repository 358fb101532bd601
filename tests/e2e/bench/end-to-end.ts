// End to end per transport: calls executed per second by a real
// functions-framework worker when a burst of calls is dispatched, and the
// dispatch-to-execution latency (p50, p99) of calls paced well below
// that rate. The baseline sends the same frame bytes with the raw client
// (createTask, publishMessage) to a plain functions-framework function
// that only notes the latency. Alternating rounds, medians.
//
//   node bench/end-to-end.ts        (BENCH_SIZE=tiny: seconds)
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  createDispatcher,
  type Dispatcher,
  parseSigningKeys,
  type Transport,
} from '@cloud-functions-dispatch/core';
import {
  type BenchRow,
  benchRow,
  median,
  percentile,
  startWorker,
  uniqueName,
  type Worker,
  writeBenchResults,
} from '@cloud-functions-dispatch/testing';
import { createCloudTasksTransport } from '@cloud-functions-dispatch/transport-cloudtasks';
import {
  createPubSubClient,
  createPubSubTransport,
  ensurePushSubscription,
  pushEndpointFor,
} from '@cloud-functions-dispatch/transport-pubsub';
import { emulatorClient, startEmulatorProcess } from './emulator-process.ts';
import { pool, TINY, usePubSubEmulator } from './support.ts';
import { LATENCY_FILE_ENV, preciseNow } from './workers/latency-log.ts';

const RUNS = TINY ? 1 : 3;
const WARM_UP_RUNS = TINY ? 0 : 1;
const BURST_CALLS = TINY ? 100 : 2_000;
const PACED_CALLS = TINY ? 30 : 300;
const PACED_PER_SECOND = 100;
const BURST_CONCURRENCY = 64;
const KEYS = `bench=${randomBytes(32).toString('base64')}`;
const FRAME_BYTES = 150;

/** What limits each transport's figures, as profiling found it. */
const BOTTLENECKS: Record<string, string> = {
  'Cloud Tasks':
    'the queue rate cap: 500 dispatches/s per queue, both sides reach it',
  'Pub/Sub':
    "the emulator's push delivery: its Java process takes about a core in a burst",
};

/** One way of sending calls into a worker that notes their latency. */
interface Side {
  send(sentAt: number): Promise<unknown>;
  latencyFile: string;
}

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
}

/** A dispatcher of its own sending `noteLatency` calls through `transport`. */
function noteLatencyVia(transport: Transport): {
  dispatcher: Dispatcher;
  send: (sentAt: number) => Promise<unknown>;
} {
  const dispatcher = createDispatcher({
    transport,
    signing: { keys: parseSigningKeys(KEYS) },
  });
  const send = dispatcher.dispatch(
    'noteLatency',
    async (_sentAt: number) => {},
  );
  return { dispatcher, send };
}

function latencyFile(label: string): string {
  return join(tmpdir(), `${uniqueName(label)}.latency`);
}

function workerModule(name: string): string {
  return fileURLToPath(new URL(`./workers/${name}`, import.meta.url));
}

function readLatencies(file: string): number[] {
  const text = readFileSync(file, 'utf8').trim();
  return text === '' ? [] : text.split('\n').map(Number);
}

async function waitForLatencies(file: string, count: number) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const latencies = readLatencies(file);
    if (latencies.length >= count) return latencies;
    if (Date.now() > deadline) {
      throw new Error(`end-to-end: ${latencies.length} of ${count} ran`);
    }
    await sleep(20);
  }
}

async function measure(side: Side): Promise<Figures> {
  writeFileSync(side.latencyFile, '');
  const start = performance.now();
  await pool(BURST_CALLS, BURST_CONCURRENCY, () => side.send(preciseNow()));
  await waitForLatencies(side.latencyFile, BURST_CALLS);
  const perSecond = BURST_CALLS / ((performance.now() - start) / 1000);

  writeFileSync(side.latencyFile, '');
  const sends: Promise<unknown>[] = [];
  for (let index = 0; index < PACED_CALLS; index++) {
    sends.push(side.send(preciseNow()));
    await sleep(1000 / PACED_PER_SECOND);
  }
  await Promise.all(sends);
  const latencies = await waitForLatencies(side.latencyFile, PACED_CALLS);
  return {
    perSecond,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Alternating rounds of both sides; the medians of each figure. */
async function compareSides(ours: Side, raw: Side) {
  const figures = { ours: [] as Figures[], raw: [] as Figures[] };
  for (let round = 0; round < WARM_UP_RUNS + RUNS; round++) {
    const order =
      round % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const);
    for (const name of order) {
      const measured = await measure(name === 'ours' ? ours : raw);
      if (round >= WARM_UP_RUNS) figures[name].push(measured);
    }
  }
  const pick = (list: Figures[], key: keyof Figures) =>
    median(list.map((f) => f[key]));
  return (key: keyof Figures) =>
    [pick(figures.ours, key), pick(figures.raw, key)] as const;
}

function rows(
  transport: string,
  medians: Awaited<ReturnType<typeof compareSides>>,
): BenchRow[] {
  const note = BOTTLENECKS[transport] ?? null;
  const row = (
    subject: string,
    unit: string,
    key: keyof Figures,
    caseName: string,
  ) => {
    const [ours, baseline] = medians(key);
    return benchRow({
      bench: 'end-to-end',
      subject: `end to end, ${transport}: ${subject}`,
      case: caseName,
      unit,
      ours,
      baselineName:
        transport === 'Cloud Tasks'
          ? 'raw createTask to a plain function'
          : 'raw publish to a plain function',
      baseline,
      runs: RUNS,
      note,
    });
  };
  const paced = `${PACED_CALLS} calls at ${PACED_PER_SECOND}/s`;
  return [
    row('executed', 'calls/s', 'perSecond', `burst of ${BURST_CALLS}`),
    row('latency p50', 'ms', 'p50', paced),
    row('latency p99', 'ms', 'p99', paced),
  ];
}

async function cloudTasksRows(): Promise<BenchRow[]> {
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const emulator = await startEmulatorProcess([]);
    stops.push(() => emulator.stop());
    const client = emulatorClient(emulator.address);
    stops.push(() => client.close());
    const parent = 'projects/bench/locations/here';
    const queue = async (id: string) => {
      const name = `${parent}/queues/${id}`;
      const rateLimits = {
        maxDispatchesPerSecond: 500,
        maxConcurrentDispatches: 1000,
      };
      await client.createQueue({ parent, queue: { name, rateLimits } });
      return name;
    };

    const oursFile = latencyFile('tasks-ours');
    const oursWorker = await startWorker({
      source: workerModule('e2e-dispatch.ts'),
      target: 'dispatch',
      signatureType: 'http',
      env: { DISPATCH_SIGNING_KEYS: KEYS, [LATENCY_FILE_ENV]: oursFile },
    });
    stops.push(() => oursWorker.stop());
    const ours = noteLatencyVia(
      createCloudTasksTransport({
        queue: await queue('ours'),
        url: `${oursWorker.url}/`,
        emulatorHost: emulator.address,
      }),
    );
    stops.push(() => ours.dispatcher.close());

    const rawFile = latencyFile('tasks-raw');
    const rawWorker = await startWorker({
      source: workerModule('e2e-raw.ts'),
      target: 'rawTask',
      signatureType: 'http',
      env: { [LATENCY_FILE_ENV]: rawFile },
    });
    stops.push(() => rawWorker.stop());
    const rawQueue = await queue('raw');
    const body = randomBytes(FRAME_BYTES);
    const rawSend = (sentAt: number) =>
      client.createTask({
        parent: rawQueue,
        task: {
          httpRequest: {
            url: `${rawWorker.url}/`,
            httpMethod: 'POST',
            headers: {
              'content-type': 'application/octet-stream',
              'x-sent-at': String(sentAt),
            },
            body,
          },
        },
      });

    const medians = await compareSides(
      { send: ours.send, latencyFile: oursFile },
      { send: rawSend, latencyFile: rawFile },
    );
    return rows('Cloud Tasks', medians);
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

async function pubSubRows(): Promise<BenchRow[]> {
  const emulator = await usePubSubEmulator();
  if (emulator === undefined) return [];
  const { projectId, host } = emulator;
  const pubsub = createPubSubClient({ projectId, emulatorHost: host });
  const workers: Worker[] = [];
  let ours: ReturnType<typeof noteLatencyVia> | undefined;
  try {
    const subscribe = async (worker: Worker, topic: string) => {
      await ensurePushSubscription(pubsub, {
        topic,
        subscription: uniqueName('bench'),
        endpoint: pushEndpointFor(worker.url, projectId, topic),
      });
    };

    const oursFile = latencyFile('pubsub-ours');
    const oursTopic = uniqueName('ours');
    const oursWorker = await startWorker({
      source: workerModule('e2e-dispatch.ts'),
      target: 'dispatchEvent',
      signatureType: 'cloudevent',
      env: {
        ...emulator.env,
        DISPATCH_SIGNING_KEYS: KEYS,
        [LATENCY_FILE_ENV]: oursFile,
      },
    });
    workers.push(oursWorker);
    await subscribe(oursWorker, oursTopic);
    ours = noteLatencyVia(
      createPubSubTransport({
        topic: oursTopic,
        projectId,
        emulatorHost: host,
      }),
    );

    const rawFile = latencyFile('pubsub-raw');
    const rawTopic = uniqueName('raw');
    const rawWorker = await startWorker({
      source: workerModule('e2e-raw.ts'),
      target: 'rawEvent',
      signatureType: 'cloudevent',
      env: { ...emulator.env, [LATENCY_FILE_ENV]: rawFile },
    });
    workers.push(rawWorker);
    await subscribe(rawWorker, rawTopic);
    const topic = pubsub.topic(rawTopic);
    const data = randomBytes(FRAME_BYTES);
    const rawSend = (sentAt: number) =>
      topic.publishMessage({ data, attributes: { sentAt: String(sentAt) } });

    const medians = await compareSides(
      { send: ours.send, latencyFile: oursFile },
      { send: rawSend, latencyFile: rawFile },
    );
    return rows('Pub/Sub', medians);
  } finally {
    await ours?.dispatcher.close();
    await pubsub.close();
    for (const worker of workers) await worker.stop();
    await emulator.release();
  }
}

writeBenchResults('end-to-end', [
  ...(await cloudTasksRows()),
  ...(await pubSubRows()),
]);
