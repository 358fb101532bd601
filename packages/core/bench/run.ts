// Measures sealing and opening frames against the original library's
// scheme (JSON.stringify + gzip, gunzip + JSON.parse) in the same run.
// `BENCH_SIZE=tiny` runs a short smoke version.
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type BenchRow,
  type BenchTarget,
  benchRow,
  median,
  writeBenchResults,
} from '@cloud-functions-dispatch/testing';
import {
  cborCodec,
  createKeyRing,
  decodeArguments,
  openFrame,
  sealFrame,
} from '../src/wire/index.ts';
import { type Payload, payloads } from './payloads.ts';

const tiny = process.env.BENCH_SIZE === 'tiny';
const ROUNDS = tiny ? 3 : 9;
const SLICE_MS = tiny ? 15 : 250;

const keyRing = createKeyRing([
  { id: 'bench', secret: new Uint8Array(32).fill(1) },
]);
const codecs = [cborCodec];

/** Targets from the project brief: ratios ours / baseline. */
const TARGETS: Record<Metric, Partial<Record<Payload['name'], BenchTarget>>> = {
  seal: {
    small: { on: 'ratio', op: '>=', value: 4 },
    medium: { on: 'ratio', op: '>=', value: 2 },
    large: { on: 'ratio', op: '>=', value: 1.5 },
  },
  open: {
    small: { on: 'ratio', op: '>=', value: 2 },
    medium: { on: 'ratio', op: '>=', value: 1.5 },
  },
  bytes: { medium: { on: 'ratio', op: '<=', value: 1.6 } },
};

type Metric = 'seal' | 'open' | 'bytes';

const SUBJECTS: Record<Metric, [subject: string, unit: string, vs: string]> = {
  seal: ['seal (encode+sign)', 'ops/s', 'JSON+gzip'],
  open: ['open (verify+decode)', 'ops/s', 'gunzip+JSON.parse'],
  bytes: ['frame size', 'bytes', 'JSON+gzip bytes'],
};

function opsPerSecond(run: () => unknown): number {
  let operations = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    run();
    operations++;
    elapsed = performance.now() - start;
  } while (elapsed < SLICE_MS);
  return operations / (elapsed / 1000);
}

/** Medians of alternating rounds, so both sides share the same noise. */
function compare(
  ours: () => unknown,
  baseline: () => unknown,
): [number, number] {
  opsPerSecond(ours);
  opsPerSecond(baseline);
  const a: number[] = [];
  const b: number[] = [];
  // Who goes first swaps each round, so neither always meets a warmer or
  // busier machine.
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      a.push(opsPerSecond(ours));
      b.push(opsPerSecond(baseline));
    } else {
      b.push(opsPerSecond(baseline));
      a.push(opsPerSecond(ours));
    }
  }
  return [median(a), median(b)];
}

function row(
  payload: Payload['name'],
  metric: Metric,
  ours: number,
  baseline: number,
): BenchRow {
  const [subject, unit, baselineName] = SUBJECTS[metric];
  const target = TARGETS[metric][payload];
  return benchRow({
    bench: 'core',
    subject,
    case: caseName(payload),
    unit,
    ours,
    baselineName,
    baseline,
    runs: metric === 'bytes' ? 1 : ROUNDS,
    ...(target === undefined ? {} : { target }),
  });
}

function measurePayload({ name, args }: Payload): BenchRow[] {
  const call = {
    callId: '01940000-0000-7000-8000-000000000001',
    functionName: 'updateRelated',
    args,
    createdAt: new Date(),
  };
  const seal = () => sealFrame(call, { codec: cborCodec, keyRing });
  const gzip = () => gzipSync(JSON.stringify(args));
  const frame = seal();
  const zipped = gzip();
  const open = () => decodeArguments(openFrame(frame, keyRing), { codecs });
  const gunzip = () => JSON.parse(gunzipSync(zipped).toString());

  const [sealOps, gzipOps] = compare(seal, gzip);
  const [openOps, gunzipOps] = compare(open, gunzip);
  return [
    row(name, 'seal', sealOps, gzipOps),
    row(name, 'open', openOps, gunzipOps),
    row(name, 'bytes', frame.length, zipped.length),
  ];
}

const sizes = new Map(
  payloads(tiny).map((payload) => [
    payload.name,
    JSON.stringify(payload.args).length,
  ]),
);

function caseName(payload: Payload['name']): string {
  const bytes = sizes.get(payload) ?? 0;
  if (bytes < 1000) return `${bytes} B JSON`;
  if (bytes < 1e6) return `${(bytes / 1000).toFixed(1)} KB JSON`;
  return `${(bytes / 1e6).toFixed(2)} MB JSON`;
}

const rows = payloads(tiny).flatMap(measurePayload);
const file = writeBenchResults('core', rows);
console.log(`core wire bench: ${rows.length} rows written to ${file}`);
