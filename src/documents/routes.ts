import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { todayInFrance } from '../rules/academic-year.ts';
import { requireSignIn } from '../web/auth/actor-middleware.ts';
import { HttpError } from '../web/errors.ts';
import { renderAmendment, renderCertificate, renderConvention, renderSummary } from './pdf.ts';
import { amendmentDocumentData, documentData } from './service.ts';
import { isDocumentLanguage, type DocumentLanguage } from './texts.ts';
import { actorOf, idFrom } from '../web/http.ts';

/**
 * The printed documents of a convention (docs/domain.md): convention.pdf?lang=, summary.pdf and
 * certificate.pdf, amendments/:n/amendment.pdf (French only). Rights are checked by the service for every request; the answer is never cached.
 */
function sendPdf(res: Response, fileName: string, bytes: Buffer): void {
  res.set({
    'Content-Type': 'application/pdf',
    'Content-Disposition': `inline; filename="${fileName}"`,
    'Cache-Control': 'no-store',
    'Content-Length': String(bytes.length),
  });
  res.end(bytes);
}

function languageFrom(req: Request): DocumentLanguage {
  const lang = req.query.lang;
  if (lang === undefined) return 'fr';
  if (!isDocumentLanguage(lang)) throw new HttpError(400, 'documents.errors.unknownLanguage');
  return lang;
}

function documentRoutes(knex: Knex): Router {
  const router = Router();

  router.get('/conventions/:number/convention.pdf', async (req, res) => {
    const number = idFrom(req.params.number);
    const language = languageFrom(req);
    const data = await documentData(knex, actorOf(req), number, 'convention');
    sendPdf(res, `convention-${number}-${language}.pdf`, await renderConvention(data, { language, printedOn: todayInFrance() }));
  });

  router.get('/conventions/:number/summary.pdf', async (req, res) => {
    const number = idFrom(req.params.number);
    const data = await documentData(knex, actorOf(req), number, 'summary');
    sendPdf(res, `convention-${number}-recapitulatif.pdf`, await renderSummary(data, { printedOn: todayInFrance() }));
  });

  router.get('/conventions/:number/certificate.pdf', async (req, res) => {
    const number = idFrom(req.params.number);
    const data = await documentData(knex, actorOf(req), number, 'certificate');
    sendPdf(res, `attestation-stage-${number}.pdf`, await renderCertificate(data, { printedOn: todayInFrance() }));
  });

  router.get('/conventions/:number/amendments/:amendment/amendment.pdf', async (req, res) => {
    const number = idFrom(req.params.number);
    const amendmentNumber = idFrom(req.params.amendment);
    const data = await amendmentDocumentData(knex, actorOf(req), number, amendmentNumber);
    sendPdf(res, `convention-${number}-avenant-${amendmentNumber}.pdf`, await renderAmendment(data, { printedOn: todayInFrance() }));
  });

  return router;
}

/** The documents module: no menu entry (the convention's pages link to its documents). */
export function documentsModule({ knex }: ModuleDependencies): AppModule {
  const router = Router();
  router.use('/conventions', requireSignIn);
  router.use(documentRoutes(knex));
  return { router };
}
