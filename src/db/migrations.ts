import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const migrationsDirectory = fileURLToPath(new URL('../../migrations/', import.meta.url));

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Reads the migrations folder through ESM imports, so that the same code runs under tsx and vitest. */
class FolderMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    const files = await readdir(migrationsDirectory);
    return files.filter((file) => /^\d+_.+\.ts$/.test(file)).sort();
  }

  getMigrationName(migration: string): string {
    return migration;
  }

  async getMigration(migration: string): Promise<MigrationModule> {
    return (await import(pathToFileURL(path.join(migrationsDirectory, migration)).href)) as MigrationModule;
  }
}

export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource: new FolderMigrationSource() })) as [number, string[]];
  return applied;
}

export const migrationConfig = { migrationSource: new FolderMigrationSource() };
