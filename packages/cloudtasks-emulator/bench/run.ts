// Tasks dispatched per second by the emulator to a no-op node:http
// server, median of repeated runs. Tasks are created in paused queues,
// then the clock runs from ResumeQueue until the server has seen them all.
// `BENCH_SIZE=tiny` runs a seconds-long smoke version.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchRow, writeBenchResults } from '@cloud-functions-dispatch/testing';
import { CloudTasksClient } from '@google-cloud/tasks';
import { grpc } from 'google-gax';
import { startCloudTasksEmulator } from '../src/index.ts';

process.env.METADATA_SERVER_DETECTION ??= 'none';

const tiny = process.env.BENCH_SIZE === 'tiny';
const RUNS = tiny ? 3 : 5;
const CREATE_CONCURRENCY = 64;
// The service caps a queue at 500 dispatches per second.
const QUEUE_RATE_CAP = 500;

interface Scenario {
  name: string;
  queues: number;
  tasksPerQueue: number;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'one queue at the 500/s cap',
    queues: 1,
    tasksPerQueue: tiny ? 200 : 2500,
  },
  // Enough queues that their caps add up beyond what the emulator does.
  { name: 'forty queues', queues: 40, tasksPerQueue: tiny ? 25 : 250 },
];

interface Row {
  scenario: string;
  queues: number;
  tasks: number;
  runs: number;
  dispatchPerSecond: number;
  rateCapPerSecond: number;
  createTaskPerSecond: number;
}

let received = 0;
const target = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    received += 1;
    response.end();
  });
});
target.listen(0, '127.0.0.1');
await new Promise((resolve) => target.once('listening', resolve));
const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;

const emulator = await startCloudTasksEmulator({ nameReuseWindowMs: 0 });
const client = new CloudTasksClient({
  servicePath: emulator.host,
  port: emulator.port,
  sslCreds: grpc.credentials.createInsecure(),
  projectId: 'bench',
});

const rows: Row[] = [];
try {
  for (const scenario of SCENARIOS) rows.push(await measure(scenario));
} finally {
  await client.close();
  await emulator.close();
  target.close();
}

console.table(rows);
writeBenchResults(
  'cloudtasks-emulator',
  rows.map((row) =>
    benchRow({
      bench: 'cloudtasks-emulator',
      subject: 'Cloud Tasks emulator dispatch',
      case: `${row.scenario} (${row.tasks} tasks)`,
      unit: 'tasks/s',
      ours: row.dispatchPerSecond,
      baselineName: 'sum of the queue rate caps',
      baseline: row.rateCapPerSecond,
      runs: row.runs,
    }),
  ),
);

// Everything is closed above, so the process should end by itself. If
// something still holds it, name it and end anyway, so that `pnpm bench`
// goes on to the next package instead of waiting forever.
setTimeout(() => {
  console.error('still open:', process.getActiveResourcesInfo().join(', '));
  process.exit(0);
}, 10_000).unref();

async function measure(scenario: Scenario): Promise<Row> {
  const dispatchRates: number[] = [];
  const createRates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const queues = await createPausedQueues(scenario, run);
    const tasks = scenario.queues * scenario.tasksPerQueue;

    const createStart = performance.now();
    await createTasks(queues, scenario.tasksPerQueue);
    createRates.push(tasks / ((performance.now() - createStart) / 1000));

    received = 0;
    const start = performance.now();
    await Promise.all(queues.map((name) => client.resumeQueue({ name })));
    await waitForReceived(tasks);
    dispatchRates.push(tasks / ((performance.now() - start) / 1000));

    await Promise.all(queues.map((name) => client.deleteQueue({ name })));
  }
  return {
    scenario: scenario.name,
    queues: scenario.queues,
    tasks: scenario.queues * scenario.tasksPerQueue,
    runs: RUNS,
    dispatchPerSecond: Math.round(median(dispatchRates)),
    rateCapPerSecond: scenario.queues * QUEUE_RATE_CAP,
    createTaskPerSecond: Math.round(median(createRates)),
  };
}

async function createPausedQueues(
  scenario: Scenario,
  run: number,
): Promise<string[]> {
  const parent = 'projects/bench/locations/here';
  const names = Array.from(
    { length: scenario.queues },
    (_, index) => `${parent}/queues/q${scenario.queues}-${run}-${index}`,
  );
  for (const name of names) {
    await client.createQueue({ parent, queue: { name } });
    await client.pauseQueue({ name });
  }
  return names;
}

async function createTasks(queues: string[], perQueue: number): Promise<void> {
  const pending = queues.flatMap((parent) =>
    Array.from({ length: perQueue }, () => parent),
  );
  const worker = async () => {
    for (let parent = pending.pop(); parent; parent = pending.pop()) {
      await client.createTask({
        parent,
        task: { httpRequest: { url: targetUrl } },
      });
    }
  };
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, worker));
}

async function waitForReceived(count: number): Promise<void> {
  while (received < count) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
