import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  dts: true,
  platform: 'node',
  target: 'node22',
  clean: true,
  // .js, not .mjs, like every package here: the package is "type":
  // "module" and publishConfig points at dist/index.js. proto/ ships as
  // the schema's documentation; the frame codec is written by hand.
  fixedExtension: false,
});
