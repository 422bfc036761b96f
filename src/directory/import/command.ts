import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { t } from '../../i18n/index.ts';
import { isDirectoryKind, type DirectoryKind } from './kind.ts';
import { importDirectory, type ImportOutcome } from './service.ts';

/** `npm run import -- students|teachers|staff FILE.csv`, minus the process: testable without spawning one. */

export const EXIT_SUCCESS = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface ImportFile {
  kind: DirectoryKind;
  fileName: string;
  content: Buffer;
}

/**
 * Checks the arguments and reads the file before any database is opened. A relative path is taken
 * from where `npm run` was typed (INIT_CWD), not from the project folder npm moves to.
 */
export async function readImportArguments(
  args: readonly string[],
  output: CommandOutput,
  workingDirectory = process.env.INIT_CWD ?? process.cwd(),
): Promise<ImportFile | typeof EXIT_USAGE> {
  const [kind, file, ...extra] = args;
  if (kind === undefined || file === undefined || extra.length > 0) {
    output.err(t('directory.cli.usage'));
    return EXIT_USAGE;
  }
  if (!isDirectoryKind(kind)) {
    output.err(t('directory.cli.unknownKind', { kind }));
    output.err(t('directory.cli.usage'));
    return EXIT_USAGE;
  }
  const fullPath = path.resolve(workingDirectory, file);
  try {
    return { kind, fileName: path.basename(fullPath), content: await readFile(fullPath) };
  } catch {
    output.err(t('directory.cli.missingFile', { file: fullPath }));
    return EXIT_USAGE;
  }
}

function printOutcome(outcome: ImportOutcome, file: ImportFile, output: CommandOutput): number {
  switch (outcome.status) {
    case 'unreadable':
      output.err(t('directory.cli.unreadable', { file: file.fileName, message: t(`directory.problems.${outcome.problem}`) }));
      return EXIT_REJECTED;
    case 'rejected':
      for (const { line, reasons } of outcome.rejected) output.out(t('directory.cli.rejectedLine', { line, reasons: reasons.join(' ; ') }));
      output.out(t('directory.cli.rejected', { count: outcome.rejected.length, file: file.fileName }));
      return EXIT_REJECTED;
    case 'imported':
      output.out(t('directory.cli.imported', { kind: t(`directory.kinds.${file.kind}`), file: file.fileName, lines: outcome.lineCount }));
      for (const [entity, count] of Object.entries(outcome.counts)) {
        output.out(t('directory.cli.count', { entity: t(`directory.entities.${entity}`), ...count }));
      }
      return EXIT_SUCCESS;
  }
}

/** Runs the import and prints its report; the exit code says whether anything was written. */
export async function runImportCommand(knex: Knex, file: ImportFile, actorLogin: string, output: CommandOutput): Promise<number> {
  const outcome = await importDirectory(knex, { ...file, actorLogin });
  return printOutcome(outcome, file, output);
}
