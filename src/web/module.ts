import type { Router } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services.ts';
import type { MenuEntry } from './menu.ts';

/** What the application is built from: given at start (src/server.ts) or by a test. */
export interface AppDependencies {
  knex: Knex;
  config: Config;
  logger: Logger;
  /** The same database as `knex`, for the session store's own small pool. */
  databaseUrl: string;
  /** Sign-in attempts allowed per address every 5 minutes. */
  signInRateLimit?: number;
  /** How long the session store may wait for a database connection (2 s by default: then a 503). */
  sessionConnectionTimeoutMs?: number;
  /** The modules' collaborators; `createServices()` builds the real ones, a test may lend stand-ins. */
  services?: Services;
}

/** What every module factory receives: the application's dependencies and the collaborators built once from them. */
export interface ModuleDependencies extends Omit<AppDependencies, 'services'> {
  services: Services;
}

/** A feature of the application: its routes and, if any, its entries in the main menu. */
export interface AppModule {
  router: Router;
  menu?: MenuEntry[];
}
