import type { Scheduler } from './scheduler.ts';
import type { EmulatorStore } from './store.ts';
import type { TaskDispatcher } from './task-dispatcher.ts';
import type { TaskLimits } from './task-request.ts';

/** The parts the RPC handlers work with. */
export interface EmulatorContext {
  store: EmulatorStore;
  scheduler: Scheduler;
  dispatcher: TaskDispatcher;
  taskLimits: TaskLimits;
}

/** A unary RPC's body: the request message in, the response message out. */
export type RpcHandler = (request: never) => object;
