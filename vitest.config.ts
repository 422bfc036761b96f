import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.ts';

/**
 * `npm test` runs three projects: `unit` (no database), `integration` (HTTP and database tests on a
 * real PostgreSQL) and `browser` (Chromium). The volume and query-plan tests run apart, in
 * `npm run test:slow` (vitest.slow.config.ts).
 */
export const DATABASE_SETUP = 'test/support/global-setup.ts';

export const UNIT = [
  'test/config.test.ts',
  'test/conventions/pure.test.ts',
  'test/conventions/search-schemas.test.ts',
  'test/conventions/workflow.test.ts',
  'test/db/knex-pool.test.ts',
  'test/db/reference-cache.test.ts',
  'test/directory/import/csv.test.ts',
  'test/exports/columns.test.ts',
  'test/exports/download.test.ts',
  'test/i18n/*.test.ts',
  'test/offers/dates.test.ts',
  'test/rules/*.test.ts',
  'test/security/hostile-checks.test.ts',
  'test/statistics/chart.test.ts',
  'test/statistics/cross-table.test.ts',
  'test/web/step-indicator.test.ts',
];

export const BROWSER = ['test/browser/*.test.ts', 'test/**/*accessibility.test.ts'];

/** Tests of volumes (10,000 conventions, 20,000-row exports, 30,000-line imports) and of speed. */
export const SLOW = [
  'test/conventions/search-large.test.ts',
  'test/directory/import-volume.test.ts',
  'test/documents/render-speed.test.ts',
  'test/exports/streaming.test.ts',
  'test/exports/writers.test.ts',
];

/** Query plans: PostgreSQL versions choose differently, so they run on every server CI tests. */
export const PLANS = ['test/centres/members-index.test.ts', 'test/conventions/search-indexes.test.ts', 'test/hosts/search-indexes.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // Each test file imports the whole application: sharing modules between the files of a worker
    // saves minutes of transforming and loading them again (every file still builds its own app and database).
    isolate: false,
    testTimeout: 30000,
    hookTimeout: 120000,
    reporters: ['default', new SummaryReporter()],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...UNIT, ...BROWSER, ...SLOW, ...PLANS], globalSetup: [DATABASE_SETUP] },
      },
      { extends: true, test: { name: 'browser', include: BROWSER, globalSetup: [DATABASE_SETUP] } },
    ],
  },
});
