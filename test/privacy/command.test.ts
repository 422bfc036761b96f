import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertConventions } from '../statistics/support.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run anonymise`, as a nightly schedule runs it, on the test's own database. */
describe('npm run anonymise', () => {
  let app: TestApp;
  let oldId: number;
  beforeAll(async () => {
    app = await startTestApp();
    const [id] = await insertConventions(app.knex, [
      { centre: 'UFR Droit et économie', student: 'etu.droit1', step: 'L3DROIT', host: 'lefevre', start: '2019-01-07', end: '2019-03-29', year: '2018-2019' },
    ]);
    oldId = id!;
  });
  afterAll(() => app.close());

  const anonymiseCommand = (...options: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/anonymise.ts', ...options], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });

  it('refuses an unknown option with the usage', async () => {
    await expect(anonymiseCommand('--everything')).rejects.toMatchObject({ code: 2, stderr: 'Usage : npm run anonymise [-- --dry-run]\n' });
  });

  it('counts in a dry run, anonymises, then finds nothing left', async () => {
    const dry = await anonymiseCommand('--dry-run');
    expect(dry.stdout).toMatch(
      /^Simulation \(rien n’est modifié\) — stages terminés avant le \d{4}-\d{2}-\d{2} : 1 convention\(s\) et 0 fiche\(s\) d’étudiant à anonymiser\.\n$/,
    );
    expect(await app.knex('convention').where({ id: oldId }).first('anonymised_at')).toEqual({ anonymised_at: null });

    const real = await anonymiseCommand();
    expect(real.stdout).toContain('1 convention(s) anonymisé(e)s.');
    expect(real.stdout).toMatch(/1 convention\(s\) et 0 fiche\(s\) d’étudiant anonymisées\.\n$/);
    expect((await app.knex('convention').where({ id: oldId }).first('anonymised_at')).anonymised_at).toBeInstanceOf(Date);
    expect(await app.knex('audit_log').where({ action: 'privacy.anonymise.conventions' }).first('actor_login', 'after')).toMatchObject({
      actor_login: expect.stringMatching(/^cli:/),
      after: { ids: [oldId] },
    });

    const again = await anonymiseCommand();
    expect(again.stdout).toMatch(/: 0 convention\(s\) et 0 fiche\(s\) d’étudiant anonymisées\.\n$/);
  });
});
