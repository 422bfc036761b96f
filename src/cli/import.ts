import { userInfo } from 'node:os';
import { runWithDatabase } from './run.ts';
import { readImportArguments, runImportCommand, type CommandOutput } from '../directory/import/command.ts';

/** `npm run import -- students|teachers|staff FILE.csv`: imports a directory file, all or nothing. */
const output: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The audit log names who ran the command, as it names who is signed in on the page. */
function commandUser(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // Some container platforms run under a uid that has no name.
    return `cli:uid-${process.getuid?.() ?? 'inconnu'}`;
  }
}

const file = await readImportArguments(process.argv.slice(2), output);
if (typeof file === 'number') process.exit(file);
await runWithDatabase(({ knex }) => runImportCommand(knex, file, commandUser(), output));
