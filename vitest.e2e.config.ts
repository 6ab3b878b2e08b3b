import { defineConfig } from 'vitest/config';

// End-to-end tests drive a real Chromium or Firefox: one file at a time, generous timeouts.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['verbose'],
    // The toolbar popup is reached over the DevTools WebSocket (test/support/cdp.ts); Node 20 needs
    // this flag for its WebSocket client (Node 22 has it on by default).
    execArgv: ['--experimental-websocket'],
  },
});
