#!/usr/bin/env node
// Runs the built CLI; inside the workspace, without a build, the source
// (Node 22.18+ strips the types).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
const source = new URL('../src/cli.ts', import.meta.url);
await import(existsSync(built) ? built.href : source.href);
