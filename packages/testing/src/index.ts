export {
  type ComparedRuns,
  type CompareRunsOptions,
  compareRuns,
  median,
  percentile,
} from './bench-measure.ts';
export {
  type BenchResults,
  type BenchRow,
  type BenchRowInput,
  type BenchSize,
  type BenchTarget,
  benchRow,
  benchSize,
  writeBenchResults,
} from './bench-results.ts';
export {
  findPubSubEmulator,
  PUBSUB_EMULATOR_BIN_ENV,
  PUBSUB_EMULATOR_MISSING,
} from './find-pubsub-emulator.ts';
export { getFreePort } from './free-port.ts';
export { httpAnswers } from './http-answers.ts';
export {
  isGroupAlive,
  type ProcessExit,
  type ProcessGroup,
  type ProcessGroupOptions,
  startProcessGroup,
} from './process-group.ts';
export {
  type PubSubEmulator,
  type PubSubEmulatorOptions,
  startPubSubEmulator,
} from './pubsub-emulator.ts';
export { receiveMessages } from './receive-messages.ts';
export {
  type ProvidingProject,
  type SharedPubSubEmulator,
  setupSharedPubSubEmulator,
} from './shared-emulator.ts';
export { type SilentServer, startSilentServer } from './silent-server.ts';
export { uniqueName } from './unique-name.ts';
export { type WaitUntilOptions, waitUntil } from './wait-until.ts';
export { startWorker, type Worker, type WorkerOptions } from './worker.ts';
