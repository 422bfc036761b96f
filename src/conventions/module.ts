import { Router } from 'express';
import { requireSignIn } from '../web/auth/actor-middleware.ts';
import type { AppModule, ModuleDependencies } from '../web/module.ts';
import { conventionRoutes } from './wizard/routes.ts';

export function conventionsModule({ knex, services }: ModuleDependencies): AppModule {
  const router = Router();
  router.use('/conventions', requireSignIn);
  router.use(conventionRoutes(knex, services.offerLookup));
  return {
    router,
    menu: [{ href: '/conventions', labelKey: 'common.menu.conventions', roles: ['student', 'teacher', 'staff', 'super_admin'], order: 10 }],
  };
}
