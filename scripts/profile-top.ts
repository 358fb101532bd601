// Prints the functions with the most self time in a V8 `.cpuprofile`
// (written by `node --cpu-prof`), so a profile can be read without a
// browser.
//
//   node scripts/profile-top.ts CPU.cpuprofile [count] [--by-file]
//
// `--by-file` sums self time per source file (node_modules packages are
// shown by package name), which points at the library that costs.
// `--callers=NAME` sums the self time of functions named NAME by the
// frame that called them.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
  };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, countText = '25'] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'));
if (file === undefined) {
  console.error(
    'usage: node scripts/profile-top.ts CPU.cpuprofile [count] [--by-file]',
  );
  process.exit(2);
}
const byFile = process.argv.includes('--by-file');
const callersOf = process.argv
  .find((arg) => arg.startsWith('--callers='))
  ?.slice('--callers='.length);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, ProfileNode>();
for (const node of profile.nodes) {
  for (const child of node.children ?? []) parents.set(child, node);
}
const selfMicros = new Map<string, number>();
let totalMicros = 0;
for (const [index, id] of profile.samples.entries()) {
  const delta = profile.timeDeltas[index] ?? 0;
  const node = nodes.get(id);
  if (node === undefined) continue;
  const key = keyOf(node);
  if (key === undefined) continue;
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
  totalMicros += delta;
}

const rows = [...selfMicros.entries()]
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(countText));
console.log(`total ${(totalMicros / 1000).toFixed(0)} ms sampled`);
for (const [key, micros] of rows) {
  const share = ((micros / totalMicros) * 100).toFixed(1).padStart(5);
  const ms = (micros / 1000).toFixed(1).padStart(8);
  console.log(`${share}% ${ms} ms  ${key}`);
}

function keyOf(node: ProfileNode): string | undefined {
  if (callersOf === undefined) return byFile ? fileOf(node) : frameOf(node);
  if (node.callFrame.functionName !== callersOf) return undefined;
  const parent = parents.get(node.id);
  return parent === undefined ? '(root)' : frameOf(parent);
}

function frameOf(node: ProfileNode): string {
  const { functionName, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  const where = shortUrl(node.callFrame.url);
  return where ? `${name}  ${where}:${lineNumber + 1}` : name;
}

function fileOf(node: ProfileNode): string {
  const url = node.callFrame.url;
  if (!url) return `(${node.callFrame.functionName || 'native'})`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules < 0) return shortUrl(url);
  const rest = url.slice(modules + '/node_modules/'.length).split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const packages = url.indexOf('/packages/');
  if (packages >= 0) return url.slice(packages + 1);
  return url.replace(/^file:\/\//, '');
}
