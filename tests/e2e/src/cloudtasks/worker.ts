// The worker entry of the Cloud Tasks suite: the shared functions, this
// suite's own, then the receiver's targets (`dispatch` for HTTP).
import { registerHandlers } from '@cloud-functions-dispatch/receiver-gcf';
import '../fixtures/functions.ts';
import './functions.ts';

registerHandlers();
