// Run as a child process by close.test.ts: sends one task, closes the
// transport and prints the receipt. The process must then exit by itself
// (a timer left behind would keep it alive).
import { createCloudTasksTransport } from '../index.ts';
import { makeMessage } from './messages.ts';

const transport = createCloudTasksTransport({
  queue: process.env.TEST_QUEUE ?? '',
  url: process.env.TEST_URL ?? '',
});
const receipt = await transport.send(makeMessage());
await transport.close();
process.stdout.write(`${JSON.stringify(receipt)}\n`);
