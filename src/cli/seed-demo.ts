import { runWithDatabase } from './run.ts';
import { seed, databaseIsEmpty } from '../../seeds/demo.ts';

/** `npm run seed:demo`: loads the demo data into an empty database (never over real data). */
await runWithDatabase(async ({ knex }, config) => {
  if (!(await databaseIsEmpty(knex))) {
    process.stderr.write('La base contient déjà des centres de gestion : les données de démonstration ne sont chargées que dans une base vide.\n');
    return 1;
  }
  await seed(knex, config.academicYearSwitchOver);
  process.stdout.write('Données de démonstration chargées.\n');
  return 0;
});
