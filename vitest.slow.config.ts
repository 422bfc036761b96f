import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.ts';
import { DATABASE_SETUP, PLANS, SLOW } from './vitest.config.ts';

/** `npm run test:slow`: the volume and speed tests (`slow`) and the query plans (`plans`), apart from `npm test`. */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    isolate: false,
    testTimeout: 30000,
    hookTimeout: 120000,
    reporters: ['default', new SummaryReporter()],
    projects: [
      { extends: true, test: { name: 'slow', include: SLOW, globalSetup: [DATABASE_SETUP] } },
      { extends: true, test: { name: 'plans', include: PLANS, globalSetup: [DATABASE_SETUP] } },
    ],
  },
});
