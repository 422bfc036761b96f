import { Router, type Request, type Response } from 'express';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { requireSignIn, requireRole } from '../web/auth/actor-middleware.ts';
import type { FieldErrors } from '../web/forms.ts';
import { t } from '../i18n/index.ts';
import { DIRECTORY_KINDS, isDirectoryKind } from './import/kind.ts';
import { importDirectory, IMPORT_FORMATS, type ImportOutcome } from './import/service.ts';
import { recentImports } from './import/history.ts';
import { localeDateTimeFormat } from '../i18n/formats.ts';
import { actorOf } from '../web/http.ts';

// A report of thousands of rejected lines would be a page nobody reads; the command lists them all.
const REJECTED_LINES_SHOWN = 500;

const dateTime = localeDateTimeFormat({ dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

function uploadedFile(req: Request): Express.Multer.File | undefined {
  return Array.isArray(req.files) ? req.files.find((file) => file.fieldname === 'file') : undefined;
}

/** The administration home and the import of the people directory, for super-admins only. */
export function directoryModule({ knex }: ModuleDependencies): AppModule {
  const router = Router();
  const superAdminOnly = [requireSignIn, requireRole('super_admin')];

  router.get('/admin', ...superAdminOnly, (_req, res) => {
    res.render('admin/index');
  });

  async function renderImports(
    res: Response,
    status: number,
    locals: { values?: Record<string, unknown>; errors?: FieldErrors; outcome?: ImportOutcome; fileName?: string },
  ) {
    const recent = (await recentImports(knex)).map((entry) => ({ ...entry, at: dateTime.format(entry.at) }));
    res.status(status).render('admin/imports', {
      kinds: DIRECTORY_KINDS.map((kind) => ({ value: kind, label: t(`directory.kinds.${kind}`) })),
      formats: IMPORT_FORMATS,
      recent,
      rejectedLinesShown: REJECTED_LINES_SHOWN,
      values: {},
      errors: {},
      outcome: undefined,
      ...locals,
    });
  }

  router.get('/admin/imports', ...superAdminOnly, async (_req, res) => {
    await renderImports(res, 200, {});
  });

  router.post('/admin/imports', ...superAdminOnly, async (req, res) => {
    const kind: unknown = req.body?.kind;
    const file = uploadedFile(req);
    const values = { kind: typeof kind === 'string' ? kind : '' };
    if (!isDirectoryKind(kind) || !file || req.uploadProblem) {
      const errors: FieldErrors = {};
      if (!isDirectoryKind(kind)) errors.kind = t('directory.problems.kind');
      if (req.uploadProblem) errors.file = t(`directory.problems.${req.uploadProblem.code}`);
      else if (!file) errors.file = t('directory.problems.noFile');
      await renderImports(res, req.uploadProblem?.code === 'too_large' ? 413 : 400, { values, errors });
      return;
    }

    const outcome = await importDirectory(knex, { kind, fileName: file.originalname, content: file.buffer, actorLogin: actorOf(req).login, requestId: req.id });
    req.log.info({ kind, file: file.originalname, outcome: outcome.status }, 'directory import');
    if (outcome.status === 'unreadable') {
      const unsupported = outcome.problem === 'binary' || outcome.problem === 'encoding';
      await renderImports(res, unsupported ? 415 : 400, { values, errors: { file: t(`directory.problems.${outcome.problem}`) } });
      return;
    }
    await renderImports(res, outcome.status === 'rejected' ? 422 : 200, { values, outcome, fileName: file.originalname });
  });

  return {
    router,
    menu: [{ href: '/admin', labelKey: 'common.menu.admin', roles: ['super_admin'], order: 90 }],
  };
}
