// Run as a child process by credentials.test.ts, with no credentials and
// no emulator: sends one task, catches what fails and prints the
// outcomes. TEST_CLOSE=1 also closes the transport twice. The process
// must then exit 0 by itself.
import { isDispatchError } from '@cloud-functions-dispatch/core';
import { createCloudTasksTransport } from '../index.ts';
import { makeMessage } from './messages.ts';

function outcome(error: unknown): { code: string; message: string } {
  const code = isDispatchError(error) ? error.code : 'RAW';
  return { code, message: (error as Error).message };
}

async function settle(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    return outcome(error);
  }
}

const transport = createCloudTasksTransport({
  queue: process.env.TEST_QUEUE ?? '',
  url: 'http://127.0.0.1:9/run',
});
const outcomes = [await settle(() => transport.send(makeMessage()))];
if (process.env.TEST_CLOSE === '1') {
  outcomes.push(await settle(() => transport.close()));
  outcomes.push(await settle(() => transport.close()));
}
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
