import { runWithDatabase } from './run.ts';

/** `npm run migrate`: applies the migrations and refreshes the reference data, then stops. */
await runWithDatabase(async () => {
  process.stdout.write('Base de données à jour (migrations et listes de référence).\n');
  return 0;
});
