// The worker: functions-framework loads this module. It is built from the
// same code as the caller, so `updateRelated` is registered here too.
import { registerHandlers } from '@cloud-functions-dispatch/receiver-gcf';
import './update-related.ts';

registerHandlers({ httpTarget: 'dispatch', cloudEventTarget: false });
