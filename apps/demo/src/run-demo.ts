import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import {
  configureDispatch,
  parseSigningKeys,
  type Transport,
} from '@cloud-functions-dispatch/core';
import { startWorker, type Worker } from '@cloud-functions-dispatch/testing';
import type { Cleanup } from './cleanup.ts';
import { setUpCloudTasks } from './cloudtasks-setup.ts';
import { openDatabase } from './database.ts';
import type { DemoOptions } from './options.ts';
import { createProgress } from './progress.ts';
import { pubSubAvailable, setUpPubSub } from './pubsub-setup.ts';
import { formatSummary, readFigures } from './report.ts';
import { seedUsers } from './seed-data.ts';
import { updateRelated } from './update-related.ts';
import { countRedelivered, verifyDatabase } from './verify.ts';

const workerSource = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Runs the scenario once; resolves to the process exit code. */
export async function runDemo(
  options: DemoOptions,
  cleanup: Cleanup,
): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), 'dispatch-demo-'));
  cleanup.add(async () => rmSync(folder, { recursive: true, force: true }));
  const databasePath = join(folder, 'demo.sqlite');
  const database = openDatabase(databasePath);
  cleanup.add(async () => database.close());
  const users = seedUsers(database, options.users, options.items, options.seed);

  const signingKeys = `demo=${randomBytes(32).toString('base64')}`;
  const worker = await startDemoWorker(databasePath, signingKeys, options);
  cleanup.add(() => worker.stop());

  const transportName = chooseTransport(options);
  const transport = await setUpTransport(transportName, worker.url, cleanup);
  configureDispatch({
    transport,
    signing: { keys: parseSigningKeys(signingKeys) },
  });

  const context = { updateId: randomUUID(), updateTime: new Date() };
  const started = performance.now();
  const dispatchedAt = new Map<number, number>();
  const failures = await dispatchAll(users, context, options, database, {
    dispatchedAt,
    timeoutMs: options.timeoutSeconds * 1000,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (cleanup.stopping) return 130;
  if (failures.length > 0) return reportFailure(failures, worker);

  console.log(
    formatSummary({
      transport: transportName,
      calls: users.length,
      wallSeconds,
      ...readFigures(database, dispatchedAt),
    }),
  );
  return verify(database, context, users.length);
}

function chooseTransport(options: DemoOptions): 'pubsub' | 'cloudtasks' {
  if (options.transport) return options.transport;
  if (pubSubAvailable()) return 'pubsub';
  console.log(
    'The Pub/Sub emulator is not installed; running on the bundled ' +
      'Cloud Tasks emulator instead.',
  );
  return 'cloudtasks';
}

function setUpTransport(
  name: 'pubsub' | 'cloudtasks',
  workerUrl: string,
  cleanup: Cleanup,
): Promise<Transport> {
  return name === 'pubsub'
    ? setUpPubSub(workerUrl, cleanup)
    : setUpCloudTasks(workerUrl, cleanup);
}

function startDemoWorker(
  databasePath: string,
  signingKeys: string,
  options: DemoOptions,
): Promise<Worker> {
  return startWorker({
    source: workerSource,
    target: 'dispatch',
    signatureType: 'http',
    env: {
      DEMO_DATABASE: databasePath,
      DEMO_FAIL_RATE: String(options.failRate),
      DEMO_SEED: String(options.seed),
      DISPATCH_SIGNING_KEYS: signingKeys,
      NODE_OPTIONS: '--disable-warning=ExperimentalWarning',
    },
  });
}

interface DispatchTracking {
  dispatchedAt: Map<number, number>;
  timeoutMs: number;
}

/**
 * Dispatches one call per user while the display follows both counters,
 * then waits until the worker has executed every call.
 */
async function dispatchAll(
  users: ReturnType<typeof seedUsers>,
  context: { updateId: string; updateTime: Date },
  options: DemoOptions,
  database: DatabaseSync,
  tracking: DispatchTracking,
): Promise<string[]> {
  const progress = createProgress(users.length, options.progress);
  const countExecuted = database.prepare(
    'SELECT COUNT(*) AS n FROM applied_updates',
  );
  const executed = () => (countExecuted.get() as { n: number }).n;
  let dispatched = 0;
  const ticker = setInterval(
    () => progress.update(dispatched, executed()),
    100,
  );

  try {
    const summary = await updateRelated.fanOut(
      trackedCalls(users, context, tracking.dispatchedAt, () => dispatched++),
      { concurrency: options.concurrency },
    );
    dispatched = summary.dispatched;
    if (summary.failed > 0) {
      return summary.errors.map((e) => `call ${e.index}: ${String(e.error)}`);
    }
    return await waitForExecution(users.length, executed, tracking.timeoutMs);
  } finally {
    clearInterval(ticker);
    progress.update(dispatched, executed());
    progress.stop();
  }
}

function* trackedCalls(
  users: ReturnType<typeof seedUsers>,
  context: { updateId: string; updateTime: Date },
  dispatchedAt: Map<number, number>,
  onPulled: () => void,
) {
  for (const user of users) {
    dispatchedAt.set(user.id, Date.now());
    yield [user, context] as const;
    onPulled();
  }
}

async function waitForExecution(
  expected: number,
  executed: () => number,
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (executed() < expected) {
    if (Date.now() > deadline) {
      return [`only ${executed()} of ${expected} calls ran in time`];
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [];
}

function reportFailure(problems: string[], worker: Worker): number {
  for (const problem of problems) console.error(`failed: ${problem}`);
  console.error('worker output (last lines):');
  console.error(worker.output().split('\n').slice(-20).join('\n'));
  return 1;
}

function verify(
  database: DatabaseSync,
  context: { updateId: string; updateTime: Date },
  userCount: number,
): number {
  const problems = verifyDatabase(
    database,
    context.updateId,
    context.updateTime,
    userCount,
  );
  const redelivered = countRedelivered(database);
  console.log(`${redelivered} calls reached the worker more than once`);
  if (problems.length === 0) {
    console.log('verified');
    return 0;
  }
  for (const problem of problems) console.error(`not verified: ${problem}`);
  return 1;
}
