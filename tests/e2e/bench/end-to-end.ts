// End to end per transport: calls executed per second by a real
// functions-framework worker when a burst of calls is dispatched, and the
// dispatch-to-execution latency (p50, p99) of calls paced well below
// that rate. The baseline sends the same frame bytes with the raw client
// (createTask, publishMessage) to a plain functions-framework function
// that only notes the latency. Alternating rounds, medians.
//
//   node bench/end-to-end.ts        (BENCH_SIZE=tiny: seconds)
import { randomBytes } from 'node:crypto';
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
import {
  BURST_CALLS,
  compareSides,
  type Figures,
  latencyFile,
  MEASURED_RUNS,
  PACED_CALLS,
  PACED_PER_SECOND,
} from './end-to-end-measure.ts';
import { usePubSubEmulator } from './support.ts';
import { LATENCY_FILE_ENV } from './workers/latency-log.ts';

const KEYS = `bench=${randomBytes(32).toString('base64')}`;
const FRAME_BYTES = 150;

/** What limits each transport's figures, as profiling found it. */
const BOTTLENECKS: Record<string, string> = {
  'Cloud Tasks':
    'the queue rate cap: 500 dispatches/s per queue, both sides reach it',
  'Pub/Sub':
    "the emulator's push delivery: its Java process takes about a core in a burst",
};

function workerModule(name: string): string {
  return fileURLToPath(new URL(`./workers/${name}`, import.meta.url));
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
      runs: MEASURED_RUNS,
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
