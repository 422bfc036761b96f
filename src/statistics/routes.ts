import { Router, type Request } from 'express';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { STATUS_CHOICES } from '../conventions/index.ts';
import { academicYearOf, todayInFrance } from '../rules/academic-year.ts';
import { requireRole, requireSignIn } from '../web/auth/actor-middleware.ts';
import { badRequest } from '../web/errors.ts';
import type { FieldErrors } from '../web/forms.ts';
import { chartOf } from './chart.ts';
import { FIRST_CRITERIA, SECOND_CRITERIA } from './criteria.ts';
import { captionOf, chartSummaryOf, criterionLabel, exportHrefOf, headingOf, listLinkOf, notesOf, scopeOf } from './presenter.ts';
import { parseStatisticsQuery } from './schemas.ts';
import { centreChoices, crossTabulate } from './service.ts';
import { statisticsWorkbook } from './workbook.ts';
import { actorOf, translate } from '../web/http.ts';

/**
 * /statistics: counts of conventions by two criteria, as a table, a chart and an XLSX
 * sheet, for the staff of the centres counted (any right) and the super-admin. Students and teachers
 * are refused: the figures are about centres, not about their own conventions.
 */
export function statisticsModule({ knex, config }: ModuleDependencies): AppModule {
  const router = Router();
  router.use('/statistics', requireSignIn, requireRole('staff', 'super_admin'));

  /** The request as understood, with the centres the person may choose among. */
  async function understand(req: Request) {
    const today = todayInFrance();
    const centres = await centreChoices(knex, actorOf(req));
    const parsed = parseStatisticsQuery(
      req.query,
      centres.map((centre) => centre.id),
      academicYearOf(today, config.academicYearSwitchOver),
    );
    return { today, centres, parsed };
  }

  router.get('/statistics', async (req, res) => {
    const t = translate(res);
    const { today, centres, parsed } = await understand(req);
    const form = {
      title: t('statistics.title'),
      values: parsed.values,
      centres,
      firstCriteria: FIRST_CRITERIA.map((criterion) => ({ value: criterion, label: criterionLabel(t, criterion) })),
      secondCriteria: SECOND_CRITERIA.map((criterion) => ({ value: criterion, label: criterionLabel(t, criterion) })),
      statuses: STATUS_CHOICES.map((status) => ({ value: status, label: t(`search.statuses.${status}`) })),
    };
    if (!parsed.ok) {
      const errors: FieldErrors = Object.fromEntries(Object.entries(parsed.errors).map(([field, key]) => [field, t(key)]));
      res.status(400).render('statistics/index', { ...form, errors, result: null });
      return;
    }
    const { request } = parsed;
    const table = await crossTabulate(knex, actorOf(req), request, today, t);
    const scope = scopeOf(t, request, centres);
    res.render('statistics/index', {
      ...form,
      errors: {},
      result: {
        heading: headingOf(t, request),
        scope,
        caption: captionOf(t, request, scope),
        rowsHeading: criterionLabel(t, request.first),
        table,
        notes: notesOf(t, request, table),
        link: listLinkOf(request),
        chart: chartOf(table),
        chartSummary: chartSummaryOf(t, request, table),
        exportHref: exportHrefOf(parsed.values),
      },
    });
  });

  router.get('/statistics/export.xlsx', async (req, res) => {
    const t = translate(res);
    const { today, centres, parsed } = await understand(req);
    if (!parsed.ok) throw badRequest();
    const { request } = parsed;
    const table = await crossTabulate(knex, actorOf(req), request, today, t);
    const workbook = statisticsWorkbook(table, {
      sheetName: t('statistics.sheetName'),
      title: headingOf(t, request),
      scope: scopeOf(t, request, centres),
      rowsHeading: criterionLabel(t, request.first),
      total: t('statistics.total'),
    });
    res.attachment(`statistiques-${request.academicYear ?? 'toutes-annees'}-${request.first}-${request.second}.xlsx`);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await workbook.xlsx.write(res);
    res.end();
  });

  return {
    router,
    menu: [{ href: '/statistics', labelKey: 'statistics.menu', roles: ['staff', 'super_admin'], order: 30 }],
  };
}
