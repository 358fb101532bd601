// Measures sealing and opening frames against the original library's
// scheme (JSON.stringify + gzip, gunzip + JSON.parse) in the same run.
// `BENCH_SIZE=tiny` runs a short smoke version.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
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
const TARGETS = {
  seal: { small: 4, medium: 2, large: 1.5 },
  open: { small: 2, medium: 1.5, large: undefined },
  bytes: { small: undefined, medium: 1.6, large: undefined },
} as const;

interface Row {
  payload: Payload['name'];
  metric: 'seal' | 'open' | 'bytes';
  ours: number;
  baseline: number;
  ratio: number;
  target: string;
  met: boolean | null;
}

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
  for (let round = 0; round < ROUNDS; round++) {
    a.push(opsPerSecond(ours));
    b.push(opsPerSecond(baseline));
  }
  return [median(a), median(b)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function row(
  payload: Payload['name'],
  metric: Row['metric'],
  ours: number,
  baseline: number,
): Row {
  // For bytes smaller is better, so the target is an upper bound.
  const ratio = ours / baseline;
  const target = TARGETS[metric][payload];
  const met =
    target === undefined
      ? null
      : metric === 'bytes'
        ? ratio <= target
        : ratio >= target;
  const bound = metric === 'bytes' ? '<=' : '>=';
  return {
    payload,
    metric,
    ours: Math.round(ours),
    baseline: Math.round(baseline),
    ratio: Number(ratio.toFixed(2)),
    target: target === undefined ? '' : `${bound} ${target}`,
    met,
  };
}

function measurePayload({ name, args }: Payload): Row[] {
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

function print(rows: Row[]): void {
  const header = [
    'payload',
    'metric',
    'ours',
    'json+gzip',
    'ratio',
    'target',
    '',
  ];
  const lines = rows.map((r) => [
    r.payload,
    r.metric === 'bytes' ? 'bytes' : `${r.metric} ops/s`,
    String(r.ours),
    String(r.baseline),
    r.ratio.toFixed(2),
    r.target,
    r.met === null ? '' : r.met ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...lines].map((line) => (line[column] ?? '').length)),
  );
  for (const line of [header, ...lines]) {
    console.log(
      line
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  }
}

const sizes = payloads(tiny).map((payload) => ({
  payload,
  jsonBytes: JSON.stringify(payload.args).length,
}));
console.log(
  `core wire bench (${tiny ? 'tiny' : 'full'}; median of ${ROUNDS} rounds of ${SLICE_MS} ms; node ${process.version})`,
);
console.log(
  sizes
    .map(({ payload, jsonBytes }) => `${payload.name} = ${jsonBytes} B of JSON`)
    .join(', '),
);
const rows = sizes.flatMap(({ payload }) => measurePayload(payload));
print(rows);

const results = new URL('../../../bench/results/', import.meta.url);
mkdirSync(results, { recursive: true });
const report = {
  bench: 'core',
  size: tiny ? 'tiny' : 'full',
  node: process.version,
  date: new Date().toISOString(),
  rows: rows.map((r) => ({
    ...r,
    jsonBytes: sizes.find((s) => s.payload.name === r.payload)?.jsonBytes,
  })),
};
writeFileSync(
  new URL('core.json', results),
  `${JSON.stringify(report, null, 2)}\n`,
);
