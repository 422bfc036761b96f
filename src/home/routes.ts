import { Router } from 'express';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { primaryRole } from '../access/policy.ts';
import { academicYearOf, todayInFrance } from '../rules/academic-year.ts';
import { homeDashboard } from './service.ts';
import { validationDashboard } from '../conventions/index.ts';
import { headlineFigures } from '../statistics/headline.ts';
import { presentHeadline } from '../statistics/presenter.ts';
import { translate } from '../web/http.ts';

export function homeModule({ knex, config }: ModuleDependencies): AppModule {
  const router = Router();

  router.get('/', async (req, res) => {
    if (!req.actor) {
      res.render('home/welcome');
      return;
    }
    const role = primaryRole(req.actor);
    const staff = role === 'staff' || role === 'super_admin';
    const today = todayInFrance();
    const [dashboard, validation, headline] = await Promise.all([
      homeDashboard(knex, req.actor),
      role === 'student' ? null : validationDashboard(knex, req.actor),
      staff ? headlineFigures(knex, req.actor, academicYearOf(today, config.academicYearSwitchOver), today) : null,
    ]);
    res.render('home/dashboard', { dashboard, validation, headline: headline && presentHeadline(translate(res), headline), role });
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
