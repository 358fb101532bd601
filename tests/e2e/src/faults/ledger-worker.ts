// The worker of the fault tests, loaded by functions-framework: the
// ledger function, an optional SQLite idempotency store
// (FAULT_IDEMPOTENCY_PATH, lease FAULT_LEASE_MS), and the HTTP target
// `dispatch`. Keys come from DISPATCH_SIGNING_KEYS.
import { configureDispatch } from '@cloud-functions-dispatch/core';
import { createSqliteIdempotencyStore } from '@cloud-functions-dispatch/idempotency-sqlite';
import { registerHandlers } from '@cloud-functions-dispatch/receiver-gcf';
import './ledger-functions.ts';

const storePath = process.env.FAULT_IDEMPOTENCY_PATH;
if (storePath) {
  configureDispatch({
    idempotency: {
      store: createSqliteIdempotencyStore({ path: storePath }),
      leaseMs: Number(process.env.FAULT_LEASE_MS ?? 5000),
    },
  });
}

registerHandlers({ cloudEventTarget: false });
