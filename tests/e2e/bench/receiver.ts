// Requests per second of the receiver's HTTP handler running a no-op
// dispatched function, beside a raw functions-framework handler that does
// nothing. Both are real functions-framework servers in their own
// processes, driven in alternating rounds by autocannon over loopback
// with the same body (a signed frame) and headers.
//
//   node bench/receiver.ts        (BENCH_SIZE=tiny: seconds)
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createDispatcher,
  parseSigningKeys,
} from '@cloud-functions-dispatch/core';
import {
  benchRow,
  compareRuns,
  startWorker,
  type Worker,
  writeBenchResults,
} from '@cloud-functions-dispatch/testing';
import autocannon from 'autocannon';
import { createFrameCapture } from '../src/fixtures/frame-capture.ts';
import { userRecords } from './payloads.ts';
import { TINY } from './support.ts';

const RUNS = TINY ? 3 : 7;
const SECONDS = TINY ? 1 : 4;
const CONNECTIONS = 16;
const KEYS = `bench=${randomBytes(32).toString('base64')}`;

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
}

async function sealedFrame(): Promise<Buffer> {
  const capture = createFrameCapture();
  const dispatcher = createDispatcher({
    transport: capture,
    signing: { keys: parseSigningKeys(KEYS) },
  });
  const noop = dispatcher.dispatch('noop', async (..._: unknown[]) => {});
  await noop(userRecords(1)[0], { reason: 'bench' });
  return Buffer.from(capture.last().frame);
}

function startNoop(file: string, target: string): Promise<Worker> {
  return startWorker({
    source: fileURLToPath(new URL(`./workers/${file}`, import.meta.url)),
    target,
    signatureType: 'http',
    env: { DISPATCH_SIGNING_KEYS: KEYS },
  });
}

async function load(url: string, body: Buffer): Promise<Load> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0)
    throw new Error(`receiver bench: ${failed} requests to ${url} failed`);
  return {
    requestsPerSecond: result.requests.total / SECONDS,
    p99Ms: result.latency.p99,
  };
}

const body = await sealedFrame();
const ours = await startNoop('noop-dispatch.ts', 'dispatch');
const raw = await startNoop('noop-raw.ts', 'noop');
try {
  const check = await fetch(`${ours.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body,
  });
  const answer = (await check.json()) as { outcome?: string };
  if (answer.outcome !== 'done') {
    throw new Error(
      `receiver bench: the worker answered ${JSON.stringify(answer)}`,
    );
  }

  const p99s = { ours: [] as number[], raw: [] as number[] };
  const compared = await compareRuns(
    async () => {
      const figure = await load(`${ours.url}/`, body);
      p99s.ours.push(figure.p99Ms);
      return figure.requestsPerSecond;
    },
    async () => {
      const figure = await load(`${raw.url}/`, body);
      p99s.raw.push(figure.p99Ms);
      return figure.requestsPerSecond;
    },
    { rounds: RUNS, warmUpRounds: 1 },
  );

  writeBenchResults('receiver', [
    benchRow({
      bench: 'receiver',
      subject: 'receiver HTTP handler, no-op function',
      case: `${body.byteLength} B frame, ${CONNECTIONS} connections`,
      unit: 'requests/s',
      ours: compared.ours,
      baselineName: 'raw functions-framework handler',
      baseline: compared.baseline,
      target: { on: 'ratio', op: '>=', value: 0.8 },
      runs: RUNS,
    }),
  ]);
} finally {
  await ours.stop();
  await raw.stop();
}
