// The end-to-end bench worker: the receiver's targets (`dispatch` for
// Cloud Tasks, `dispatchEvent` for a Pub/Sub trigger) running noteLatency.
import { registerHandlers } from '@cloud-functions-dispatch/receiver-gcf';
import './e2e-functions.ts';

registerHandlers();
