#!/usr/bin/env node
// Runs the CLI. A published package holds only the build in dist/. In the
// workspace the TypeScript source wins whenever this Node can strip types
// (22.18 and later), so a stale build is never what runs or gets tested.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
const built = new URL('../dist/cli.js', import.meta.url);
const canStripTypes = Boolean(process.features.typescript);

if (canStripTypes && existsSync(source)) {
  await import(source.href);
} else if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write(
    `cloud-tasks-emulator: no build in dist/ and Node ${process.version} ` +
      'cannot run the TypeScript source; build the package or use Node 24.\n',
  );
  process.exitCode = 1;
}
