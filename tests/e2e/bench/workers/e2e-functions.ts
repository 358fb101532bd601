// The dispatched function of the end-to-end bench, shared by the bench
// (which sends calls) and the worker (which runs them).
import { dispatch } from '@cloud-functions-dispatch/core';
import { recordLatency } from './latency-log.ts';

/** Notes how long after `sentAt` (epoch ms) the call ran. */
export const noteLatency = dispatch('noteLatency', async (sentAt: number) => {
  recordLatency(sentAt);
});
