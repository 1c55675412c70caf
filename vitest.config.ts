import { defineConfig } from 'vitest/config';

// Tests import workspace packages through the "rtcwire-source" export condition,
// so they run against TypeScript sources without a prior build.
export default defineConfig({
  resolve: { conditions: ['rtcwire-source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['rtcwire-source', 'module', 'node', 'import', 'default'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
