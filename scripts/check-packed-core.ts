// Packs the built core package, unpacks the tarball and, from the unpacked
// copy alone, dispatches one call through the in-process transport: the
// frame is sealed and opened by dist/ with the schema from proto/. Run
// after `pnpm build`. Dependencies resolve through the workspace's own
// node_modules, so nothing is downloaded.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const core = join(import.meta.dirname, '..', 'packages', 'core');
const work = mkdtempSync(join(tmpdir(), 'core-pack-'));

const ROUND_TRIP = `
const core = await import(process.argv[1]);
const transport = core.createInProcessTransport();
const secret = new Uint8Array(32).fill(7);
const dispatcher = core.createDispatcher({
  transport,
  signing: { keys: [{ id: 'k1', secret }] },
});
const seen = [];
const record = dispatcher.dispatch('record', (...args) => seen.push(args));
await record(new Date(0), 2n ** 70n, new Map([[1, new Set(['a'])]]));
await transport.close();
const [args] = seen;
if (!(args?.[0] instanceof Date) || args[1] !== 2n ** 70n) {
  throw new Error('the call did not arrive intact: ' + String(args));
}
`;

try {
  execFileSync('pnpm', ['pack', '--pack-destination', work], {
    cwd: core,
    stdio: 'ignore',
  });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('pnpm pack wrote no tarball');
  execFileSync('tar', ['xzf', tarball], { cwd: work });

  const unpacked = join(work, 'package');
  for (const needed of ['dist/index.js', 'dist/index.d.ts', 'proto']) {
    if (!existsSync(join(unpacked, needed))) {
      throw new Error(`the tarball has no ${needed}`);
    }
  }
  if (existsSync(join(unpacked, 'src'))) {
    throw new Error('the tarball ships src/');
  }

  symlinkSync(join(core, 'node_modules'), join(unpacked, 'node_modules'));
  const entry = join(unpacked, 'dist', 'index.js');
  execFileSync(
    process.execPath,
    ['--input-type=module', '-e', ROUND_TRIP, entry],
    { stdio: 'inherit' },
  );
  console.log(`packed core works from ${tarball}: dist/ and proto/ load`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
