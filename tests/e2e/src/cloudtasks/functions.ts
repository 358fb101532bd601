// Functions only the Cloud Tasks suite needs, beside the shared ones. Each
// reports the worker's clock when its body starts, so the test can check
// schedules and backoff against the same machine's time.
import { dispatch } from '@cloud-functions-dispatch/core';
import { report } from '../fixtures/report.ts';

/** Reports `[label, Date.now()]` and finishes. */
export const recordRunTime = dispatch(
  'recordRunTime',
  async (label: string) => {
    await report('recordRunTime', [label, Date.now()]);
  },
);

/**
 * Reports `[label, Date.now()]`, then fails every time. Its own attempt
 * limit is far above the queue's, so the queue decides when it stops.
 */
export const failAlways = dispatch(
  'failAlways',
  async (label: string) => {
    await report('failAlways', [label, Date.now()]);
    throw new Error(`failAlways ${label}: fails on purpose`);
  },
  { maxAttempts: 100 },
);
