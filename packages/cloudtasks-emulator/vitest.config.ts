import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Google clients aimed at an emulator must never probe the cloud
    // metadata server.
    env: { METADATA_SERVER_DETECTION: 'none' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
