import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  dts: true,
  platform: 'node',
  target: 'node22',
  clean: true,
  // .js, not .mjs, like every package here: the package is "type":
  // "module" and publishConfig points at dist/index.js. The schema stays
  // in proto/, which src/wire/schema.ts finds from dist/ as well.
  fixedExtension: false,
});
