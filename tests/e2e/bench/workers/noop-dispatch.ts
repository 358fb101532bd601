// A worker with one dispatched function whose body does nothing, behind
// the receiver's HTTP target `dispatch` (keys from DISPATCH_SIGNING_KEYS).
import { dispatch } from '@cloud-functions-dispatch/core';
import { registerHandlers } from '@cloud-functions-dispatch/receiver-gcf';

dispatch('noop', async (..._args: unknown[]) => {});

registerHandlers({ cloudEventTarget: false });
