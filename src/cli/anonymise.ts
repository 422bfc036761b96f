import { userInfo } from 'node:os';
import { runWithDatabase } from './run.ts';
import { translator } from '../i18n/index.ts';
import { anonymise, retentionCutoff } from '../privacy/anonymisation.ts';
import { loadSettings } from '../privacy/settings-repository.ts';
import { todayInFrance } from '../rules/academic-year.ts';

/**
 * `npm run anonymise [-- --dry-run]`: anonymises what is past the institution's retention period.
 * Meant for a nightly schedule: each batch is its own transaction, and a run with nothing left to do
 * changes nothing. The exit code is 0 on success, 2 for a wrong argument.
 */
const t = translator('fr');
const out = (line: string) => process.stdout.write(`${line}\n`);

/** The audit log names who ran the command, as it names who is signed in on the page. */
function commandUser(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // Some container platforms run under a uid that has no name.
    return `cli:uid-${process.getuid?.() ?? 'inconnu'}`;
  }
}

const options = process.argv.slice(2);
if (options.some((option) => option !== '--dry-run')) {
  process.stderr.write(`${t('privacy.command.usage')}\n`);
  process.exit(2);
}
const dryRun = options.includes('--dry-run');

await runWithDatabase(async ({ knex }, _config, logger) => {
  const settings = await loadSettings(knex);
  const cutoff = retentionCutoff(todayInFrance(), settings.retention_years);
  const result = await anonymise(knex, {
    cutoff,
    actorLogin: commandUser(),
    dryRun,
    onBatch: (kind, count) => out(t('privacy.command.batch', { count, kind: t(`privacy.command.kinds.${kind}`) })),
  });
  logger.info({ cutoff, ...result }, 'anonymisation');
  out(t(dryRun ? 'privacy.command.dryRun' : 'privacy.command.done', { cutoff, conventions: result.conventions, students: result.students }));
  return 0;
});
