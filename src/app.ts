import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Router } from 'express';
import type { Knex } from 'knex';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { requestContext } from './web/request-context.ts';
import { securityHeaders } from './web/security.ts';
import { sessionMiddleware, absoluteSessionTimeout, saveSessionBeforeRedirect } from './web/session.ts';
import { multipartBodies } from './web/uploads.ts';
import { csrfProtection, exposeCsrfToken } from './web/csrf.ts';
import { attachActor, privatePagesNotCached } from './web/auth/actor-middleware.ts';
import { authRoutes } from './web/auth/routes.ts';
import { exposeFlash } from './web/flash.ts';
import { baseViewLocals, actorViewLocals } from './web/view-locals.ts';
import { requestLocale } from './web/locale.ts';
import { languageRoutes } from './web/language-routes.ts';
import { errorHandler, notFoundHandler } from './web/errors.ts';
import type { MenuEntry } from './web/menu.ts';
import { healthRoutes } from './health/routes.ts';
import { metricsModule } from './metrics/routes.ts';
import { homeModule } from './home/routes.ts';
import { centresModule } from './centres/routes.ts';
import { directoryModule } from './directory/routes.ts';
import { conventionsModule } from './conventions/routes.ts';
import { hostsModule } from './hosts/routes.ts';
import { documentsModule } from './documents/routes.ts';
import { notificationsModule } from './notifications/routes.ts';
import { exportsModule } from './exports/routes.ts';
import { statisticsModule } from './statistics/routes.ts';
import { offersModule } from './offers/routes.ts';
import { offerDepositModule } from './offers/deposit-routes.ts';
import { privacyModule } from './privacy/routes.ts';
import { referenceModule } from './reference/routes.ts';
import { fieldRenderer } from './web/field-template.ts';

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
}

/** A feature of the application: its routes and, if any, its entries in the main menu. */
export interface AppModule {
  router: Router;
  menu?: MenuEntry[];
}

const root = fileURLToPath(new URL('..', import.meta.url));

export interface ConventioApp {
  app: Express;
  /** Releases what the app holds besides `knex` (the session store's connections). */
  close(): Promise<void>;
}

export function createApp(dependencies: AppDependencies): ConventioApp {
  const { knex, config, logger } = dependencies;
  const modules: AppModule[] = [
    homeModule(dependencies),
    centresModule(dependencies),
    directoryModule(dependencies),
    hostsModule(dependencies),
    // Before the conventions: /conventions/export.xlsx is not the convention numbered "export.xlsx".
    exportsModule(dependencies),
    conventionsModule(dependencies),
    statisticsModule(dependencies),
    // Before the offers: /offers/deposit… is not the offer numbered "deposit".
    offerDepositModule(dependencies),
    offersModule(dependencies),
    documentsModule(dependencies),
    notificationsModule(dependencies),
    privacyModule(dependencies),
    referenceModule(dependencies),
  ];

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('view engine', 'ejs');
  app.set('views', path.join(root, 'views'));
  // Compiling the templates at each request costs more than the database work of most pages.
  app.set('view cache', true);
  app.locals.renderField = fieldRenderer(path.join(root, 'views'));

  app.use(requestContext(logger));
  const metrics = metricsModule(knex, config.metricsToken);
  app.use(metrics.record);
  app.use(baseViewLocals(config));
  app.use(securityHeaders(config));
  app.use('/static', express.static(path.join(root, 'public'), { maxAge: config.env === 'production' ? '1d' : 0, index: false }));
  // Browsers ask for it on their own; answered here, before sessions, so it never touches one.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/static/favicon.svg'));
  app.use(healthRoutes(knex));
  app.use(metrics.router);

  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 1000 }));
  const sessions = sessionMiddleware(config, dependencies.databaseUrl, logger, dependencies.sessionConnectionTimeoutMs);
  app.use(sessions.middleware);
  app.use(saveSessionBeforeRedirect);
  app.use(absoluteSessionTimeout);
  app.use(attachActor(knex, config.adminLogins));
  app.use(privatePagesNotCached);
  // Uploads are read only for signed-in people, and before the CSRF check that needs their form fields.
  app.use(multipartBodies());
  app.use(requestLocale(knex));
  app.use(languageRoutes(knex, config));
  app.use(csrfProtection);
  app.use(exposeCsrfToken);
  app.use(exposeFlash);
  app.use(actorViewLocals(modules.flatMap((module) => module.menu ?? [])));

  app.use(authRoutes({ knex, config, logger, signInRateLimit: dependencies.signInRateLimit ?? 100 }));
  for (const module of modules) app.use(module.router);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, close: sessions.close };
}
