import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { readImportArguments, runImportCommand, EXIT_REJECTED, EXIT_SUCCESS, EXIT_USAGE, type ImportFile } from '../../src/directory/import/command.ts';
import { teachersCsv } from './fixtures.ts';

function recordingOutput() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, output: { out: (line: string) => lines.out.push(line), err: (line: string) => lines.err.push(line) } };
}

describe('npm run import: arguments', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'conventio-import-'));
    await writeFile(path.join(folder, 'enseignants.csv'), teachersCsv);
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it.each([[[]], [['students']], [['students', 'a.csv', 'b.csv']]])('prints the usage for %j and exits with 2', async (args) => {
    const { lines, output } = recordingOutput();
    expect(await readImportArguments(args, output, folder)).toBe(EXIT_USAGE);
    expect(lines.err).toEqual(['Usage : npm run import -- students|teachers|staff FICHIER.csv']);
  });

  it('refuses an unknown kind with 2', async () => {
    const { lines, output } = recordingOutput();
    expect(await readImportArguments(['eleves', 'enseignants.csv'], output, folder)).toBe(EXIT_USAGE);
    expect(lines.err[0]).toBe('Annuaire inconnu : « eleves » (attendu students, teachers ou staff).');
  });

  it('refuses a missing file with 2, naming it', async () => {
    const { lines, output } = recordingOutput();
    expect(await readImportArguments(['teachers', 'absent.csv'], output, folder)).toBe(EXIT_USAGE);
    expect(lines.err).toEqual([`Fichier introuvable ou illisible : ${path.join(folder, 'absent.csv')}`]);
  });

  it('reads a file named relative to the folder the command was typed in', async () => {
    const { lines, output } = recordingOutput();
    const file = await readImportArguments(['teachers', 'enseignants.csv'], output, folder);
    expect(file).toMatchObject({ kind: 'teachers', fileName: 'enseignants.csv' });
    expect((file as ImportFile).content.toString()).toBe(teachersCsv);
    expect(lines.err).toEqual([]);
  });
});

describe('npm run import: report and exit code', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('prints the counts and exits with 0', async () => {
    const { lines, output } = recordingOutput();
    const code = await runImportCommand(testApp.knex, { kind: 'teachers', fileName: 'enseignants.csv', content: Buffer.from(teachersCsv) }, 'cli:root', output);
    expect(code).toBe(EXIT_SUCCESS);
    expect(lines.out).toEqual([
      'Import terminé — Enseignants, fichier enseignants.csv, 2 ligne(s) :',
      '  Enseignants : 1 créé(s), 1 mis à jour, 0 inchangé(s)',
    ]);
    expect(await testApp.knex('audit_log').where({ action: 'directory.import', actor_login: 'cli:root' }).first()).toMatchObject({ entity: 'teachers' });
  });

  it('prints one line per rejected line and exits with 1, writing nothing', async () => {
    const { lines, output } = recordingOutput();
    const content = Buffer.from('login;last_name;first_name;email\nprof.neuf;;Paul;\nprof.dix;Dix;Denis;dix@\nprof.onze;Onze;Olga;\n');
    const code = await runImportCommand(testApp.knex, { kind: 'teachers', fileName: 'enseignants.csv', content }, 'cli:root', output);
    expect(code).toBe(EXIT_REJECTED);
    expect(lines.out).toEqual([
      'Ligne 2 : last_name : Ce champ est obligatoire.',
      'Ligne 3 : email : Adresse e-mail invalide (exemple : prenom.nom@univ.fr).',
      'Aucune donnée n’a été enregistrée : 2 ligne(s) rejetée(s) dans enseignants.csv.',
    ]);
    expect(await testApp.knex('teacher').where({ login: 'prof.onze' }).first()).toBeUndefined();
  });

  it('refuses a file that is not CSV text with 1', async () => {
    const { lines, output } = recordingOutput();
    const code = await runImportCommand(
      testApp.knex,
      { kind: 'staff', fileName: 'personnels.xlsx', content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]) },
      'cli:root',
      output,
    );
    expect(code).toBe(EXIT_REJECTED);
    expect(lines.err[0]).toMatch(/^Fichier refusé \(personnels\.xlsx\) : Ce fichier n’est pas un fichier texte CSV/);
  });
});
