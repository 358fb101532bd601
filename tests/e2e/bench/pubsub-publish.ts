// Publish rate of dispatch() through the Pub/Sub transport beside raw
// `topic.publishMessage` of the same frame bytes and attributes, on
// Google's Pub/Sub emulator, many calls in flight (as a busy caller
// has). Medians of alternating runs.
//
//   node bench/pubsub-publish.ts        (BENCH_SIZE=tiny: seconds)
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
  uniqueName,
  writeBenchResults,
} from '@cloud-functions-dispatch/testing';
import {
  createPubSubClient,
  createPubSubTransport,
  ensureTopic,
} from '@cloud-functions-dispatch/transport-pubsub';
import type { PubSub } from '@google-cloud/pubsub';
import { createFrameCapture } from '../src/fixtures/frame-capture.ts';
import { userRecords } from './payloads.ts';
import {
  type BenchEmulator,
  poolRate,
  TINY,
  usePubSubEmulator,
} from './support.ts';

const RUNS = TINY ? 3 : 9;
const WARM_UP_RUNS = TINY ? 1 : 3;

interface Case {
  name: string;
  args: readonly unknown[];
  calls: number;
  concurrency: number;
  target: number;
}

const CASES: Case[] = [
  {
    name: '1 KB args',
    args: [userRecords(4), { reason: 'sync' }],
    calls: TINY ? 300 : 4_000,
    concurrency: 256,
    target: 0.9,
  },
  {
    name: '100 KB of records',
    args: [userRecords(420), { reason: 'sync' }],
    calls: TINY ? 60 : 600,
    concurrency: 64,
    target: 0.97,
  },
  {
    name: '100 KB of text',
    args: [{ id: 'doc-1', html: documentText(100_000) }],
    calls: TINY ? 60 : 600,
    concurrency: 64,
    target: 0.97,
  },
];

/** About `length` characters of varied prose, as a rendered document. */
function documentText(length: number): string {
  const words = ['dispatch', 'the', 'worker', 'runs', 'each', 'call', 'once'];
  let text = '';
  for (let index = 0; text.length < length; index++) {
    text += `${words[(index * 7 + (index >> 3)) % words.length]} ${index} `;
  }
  return text.slice(0, length);
}

const keyRing = createKeyRing([{ id: 'bench', secret: randomBytes(32) }]);

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

async function measure(
  pubsub: PubSub,
  emulator: BenchEmulator,
  benchCase: Case,
): Promise<BenchRow> {
  const topicName = uniqueName('publish');
  await ensureTopic(pubsub, topicName);
  const transport = createPubSubTransport({
    topic: topicName,
    projectId: emulator.projectId,
    emulatorHost: emulator.host,
  });
  const dispatcher = createDispatcher({ transport, signing: keyRing });
  const target = dispatcher.dispatch(
    'benchTarget',
    async (..._: unknown[]) => {},
  );
  const message = await sealOnce(benchCase.args);
  const raw = pubsub.topic(topicName);
  const data = Buffer.from(message.frame);
  const attributes = { ...message.attributes };

  const { calls, concurrency } = benchCase;
  const compared = await compareRuns(
    () => poolRate(calls, concurrency, () => target(...benchCase.args)),
    () =>
      poolRate(calls, concurrency, () =>
        raw.publishMessage({ data, attributes }),
      ),
    { rounds: RUNS, warmUpRounds: WARM_UP_RUNS },
  );
  await dispatcher.close();
  await raw.flush();
  await raw.delete();

  return benchRow({
    bench: 'pubsub-publish',
    subject: 'Pub/Sub publish (emulator)',
    case: `${benchCase.name} (${data.byteLength} B frame)`,
    unit: 'calls/s',
    ours: compared.ours,
    baselineName: 'raw publishMessage',
    baseline: compared.baseline,
    target: { on: 'ratio', op: '>=', value: benchCase.target },
    runs: RUNS,
  });
}

const emulator = await usePubSubEmulator();
if (emulator !== undefined) {
  const pubsub = createPubSubClient({
    projectId: emulator.projectId,
    emulatorHost: emulator.host,
  });
  try {
    const rows: BenchRow[] = [];
    for (const benchCase of CASES) {
      rows.push(await measure(pubsub, emulator, benchCase));
    }
    writeBenchResults('pubsub-publish', rows);
  } finally {
    await pubsub.close();
    await emulator.release();
  }
}
