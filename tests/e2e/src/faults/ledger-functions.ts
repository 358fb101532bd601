// The dispatched function of the fault tests, imported by the test (to
// send calls) and by the ledger worker (to run them). Its body records
// "started", works for a while, then records "applied" in the ledger.

import type { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentCall, dispatch } from '@cloud-functions-dispatch/core';
import { LEDGER_PATH_ENV, openLedger, record } from './ledger.ts';

let ledger: DatabaseSync | undefined;

function openedLedger(): DatabaseSync {
  const path = process.env[LEDGER_PATH_ENV];
  if (!path) throw new Error(`applyOnce: ${LEDGER_PATH_ENV} is not set`);
  ledger ??= openLedger(path);
  return ledger;
}

/** Records its run in the ledger, around `workMs` of waiting. */
export const applyOnce = dispatch(
  'applyOnce',
  async (label: string, workMs: number) => {
    const callId = currentCall()?.callId ?? 'outside-a-call';
    const database = openedLedger();
    record(database, 'started', callId, label);
    await sleep(workMs);
    record(database, 'applied', callId, label);
  },
);
