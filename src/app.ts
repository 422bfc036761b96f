import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
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
import type { AppDependencies, AppModule, ModuleDependencies } from './web/module.ts';
import { createServices } from './services.ts';
import { healthRoutes } from './health/routes.ts';
import { metricsModule } from './metrics/routes.ts';
import { homeModule } from './home/routes.ts';
import { centresModule } from './centres/routes.ts';
import { directoryModule } from './directory/routes.ts';
import { conventionsModule } from './conventions/index.ts';
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

const root = fileURLToPath(new URL('..', import.meta.url));

export interface ConventioApp {
  app: Express;
  /** Releases what the app holds besides `knex` (the session store's connections). */
  close(): Promise<void>;
}

export function createApp(dependencies: AppDependencies): ConventioApp {
  const { knex, config, logger } = dependencies;
  const moduleDependencies: ModuleDependencies = { ...dependencies, services: dependencies.services ?? createServices() };
  const modules: AppModule[] = [
    homeModule(moduleDependencies),
    centresModule(moduleDependencies),
    directoryModule(moduleDependencies),
    hostsModule(moduleDependencies),
    // Before the conventions: /conventions/export.xlsx is not the convention numbered "export.xlsx".
    exportsModule(moduleDependencies),
    conventionsModule(moduleDependencies),
    statisticsModule(moduleDependencies),
    // Before the offers: /offers/deposit… is not the offer numbered "deposit".
    offerDepositModule(moduleDependencies),
    offersModule(moduleDependencies),
    documentsModule(moduleDependencies),
    notificationsModule(moduleDependencies),
    privacyModule(moduleDependencies),
    referenceModule(moduleDependencies),
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
