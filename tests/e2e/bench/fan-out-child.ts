// One side of the fan-out bench, in a process of its own so its resident
// memory is its own: `fan-out` sends CALLS calls with `.fanOut()`,
// `batched` publishes the same number of frames of the same size with a
// hand-written loop of `Promise.all` over chunks of BATCH messages.
// Prints one JSON line: { seconds, rssStartMB, rssPeakMB }.
import { randomBytes } from 'node:crypto';
import {
  createDispatcher,
  createKeyRing,
} from '@cloud-functions-dispatch/core';
import {
  createPubSubClient,
  createPubSubTransport,
} from '@cloud-functions-dispatch/transport-pubsub';
import { createFrameCapture } from '../src/fixtures/frame-capture.ts';

const mode = process.argv[2];
const calls = Number(process.env.FAN_OUT_CALLS);
const batch = Number(process.env.FAN_OUT_BATCH);
const concurrency = Number(process.env.FAN_OUT_CONCURRENCY);
const topicName = process.env.FAN_OUT_TOPIC ?? '';
const projectId = process.env.GOOGLE_CLOUD_PROJECT ?? '';
const emulatorHost = process.env.PUBSUB_EMULATOR_HOST ?? '';

const keyRing = createKeyRing([{ id: 'bench', secret: randomBytes(32) }]);

/** The arguments of call `index`: an id and a small record. */
function argsOf(index: number): [string, { n: number; reason: string }] {
  return [`item-${index}`, { n: index, reason: 'fan-out bench' }];
}

function* argumentLists(): Generator<[string, { n: number; reason: string }]> {
  for (let index = 0; index < calls; index++) yield argsOf(index);
}

async function sampleWhile(work: () => Promise<void>) {
  globalThis.gc?.();
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 10);
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  const mb = (bytes: number) => bytes / 2 ** 20;
  return { seconds, rssStartMB: mb(rssStart), rssPeakMB: mb(rssPeak) };
}

async function viaFanOut() {
  const transport = createPubSubTransport({
    topic: topicName,
    projectId,
    emulatorHost,
  });
  const dispatcher = createDispatcher({ transport, signing: keyRing });
  const target = dispatcher.dispatch(
    'fanTarget',
    async (_id: string, _item: { n: number; reason: string }) => {},
  );
  await target(...argsOf(-1));
  const figures = await sampleWhile(async () => {
    const summary = await target.fanOut(argumentLists(), { concurrency });
    if (summary.failed > 0)
      throw new Error(`fan-out: ${summary.failed} calls failed`);
  });
  await dispatcher.close();
  return figures;
}

async function viaBatchedLoop() {
  const capture = createFrameCapture();
  const sealer = createDispatcher({ transport: capture, signing: keyRing });
  const target = sealer.dispatch(
    'fanTarget',
    async (_id: string, _item: { n: number; reason: string }) => {},
  );
  await target(...argsOf(calls));
  const { frame, attributes } = capture.last();
  const data = Buffer.from(frame);
  const pubsub = createPubSubClient({ projectId, emulatorHost });
  const topic = pubsub.topic(topicName);
  await topic.publishMessage({ data, attributes });
  const figures = await sampleWhile(async () => {
    for (let first = 0; first < calls; first += batch) {
      const size = Math.min(batch, calls - first);
      await Promise.all(
        Array.from({ length: size }, () =>
          topic.publishMessage({ data, attributes }),
        ),
      );
    }
  });
  await pubsub.close();
  return figures;
}

const figures = mode === 'fan-out' ? await viaFanOut() : await viaBatchedLoop();
console.log(JSON.stringify(figures));
