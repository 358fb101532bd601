import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: 'esm',
  dts: true,
  platform: 'node',
  target: 'node22',
  clean: true,
  // .js, not .mjs: the package is "type": "module" and its bin and
  // publishConfig point at dist/*.js.
  fixedExtension: false,
});
