// The demo's command line: runs the seed's scenario end to end and stops
// everything it started, also on Ctrl-C and on failure.
import { Cleanup } from './cleanup.ts';
import { parseDemoOptions } from './options.ts';
import { runDemo } from './run-demo.ts';

const cleanup = new Cleanup();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping what the demo started...`);
    void cleanup.run().finally(() => process.exit(130));
  });
}

const options = parseDemoOptions(process.argv.slice(2));
let exitCode = 1;
try {
  exitCode = await runDemo(options, cleanup);
} catch (error) {
  console.error('demo failed:', error);
} finally {
  await cleanup.run();
}
process.exit(exitCode);
