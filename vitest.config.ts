import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Each test file imports the whole application: sharing modules between the files of a worker
    // saves minutes of transforming and loading them again (every file still builds its own app and database).
    isolate: false,
    testTimeout: 30000,
    hookTimeout: 120000,
    reporters: ['default', new SummaryReporter()],
  },
});
