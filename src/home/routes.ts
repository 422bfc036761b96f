import { Router } from 'express';
import type { AppDependencies, AppModule } from '../app.ts';
import { primaryRole } from '../directory/actor.ts';
import { homeDashboard } from './service.ts';
import { validationDashboard } from '../conventions/validation-service.ts';

export function homeModule({ knex }: AppDependencies): AppModule {
  const router = Router();

  router.get('/', async (req, res) => {
    if (!req.actor) {
      res.render('home/welcome');
      return;
    }
    const role = primaryRole(req.actor);
    const validation = role === 'student' ? null : await validationDashboard(knex, req.actor);
    res.render('home/dashboard', { dashboard: await homeDashboard(knex, req.actor), validation, role });
  });

  router.get('/help', (_req, res) => {
    res.render('home/help');
  });

  return {
    router,
    menu: [
      { href: '/', labelKey: 'common.menu.home', roles: ['student', 'teacher', 'staff', 'super_admin'], order: 0 },
      { href: '/help', labelKey: 'common.menu.help', roles: ['student', 'teacher', 'staff', 'super_admin'], order: 100 },
    ],
  };
}
