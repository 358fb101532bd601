import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    env: { METADATA_SERVER_DETECTION: 'none' },
    // One emulator for the whole run; files share it with unique names.
    globalSetup: ['./src/test-support/emulator-setup.ts'],
  },
});
