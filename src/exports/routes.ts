import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Knex } from 'knex';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { type ParsedSearch, parseSearch, queryStringOf, searchParametersOf } from '../conventions/index.ts';
import type { Translate } from '../i18n/index.ts';
import { todayInFrance } from '../rules/academic-year.ts';
import { requireSignIn } from '../web/auth/actor-middleware.ts';
import { badRequest, forbidden } from '../web/errors.ts';
import { parseForm, type FieldErrors } from '../web/forms.ts';
import { COLUMN_GROUPS, EXPORT_COLUMNS, type ExportColumn } from './columns.ts';
import { sendSpreadsheet } from './download.ts';
import { columnKeysSchema, EXPORT_FORMATS, exportFormatSchema, type ExportFormat } from './schemas.ts';
import { chosenColumns, columnsToExport, matchingCount, rememberColumns, rowsToExport } from './service.ts';
import { mayExportConventions } from '../access/policy.ts';
import { localeNumberFormat } from '../i18n/formats.ts';
import { actorOf, translate } from '../web/http.ts';

/**
 * The exports of the convention search (addresses in docs/domain.md):
 * - GET /conventions/export?<search>: the column chooser, with the number of conventions the search finds;
 * - POST /conventions/export: remembers the choice, then sends to the file's address (303);
 * - GET /conventions/export.xlsx|.csv?<search>&columns=a,b,c: the file, in the order of the search.
 * The export takes the search of its own address, never the one the session remembers for the list:
 * an address sent by e-mail gives the same file to whoever may see the same conventions.
 */
const staffOnly: RequestHandler = (req, _res, next) => next(mayExportConventions(actorOf(req)) ? undefined : forbidden());
const guarded = [requireSignIn, staffOnly];

const countFormat = localeNumberFormat();

/** The search parameters of a query string or of the chooser's hidden fields, and what they mean. */
function searchOf(source: Record<string, unknown>): { parameters: Record<string, string | string[]>; search: ParsedSearch } {
  const parameters = searchParametersOf(source);
  return { parameters, search: parseSearch(parameters) };
}

/** The list page for the same search, to go back to (or to correct criteria that do not parse). */
const searchPage = (parameters: Record<string, string | string[]>) => `/conventions?${queryStringOf(parameters, { search: '1' })}`;

/** A search whose criteria do not parse is refused rather than exported without them: the file would hold more than asked. */
function refuse(res: Response, parameters: Record<string, string | string[]>, messages: string[]): void {
  res.status(400).render('exports/refused', {
    title: translate(res)('exports.refused.title'),
    messages,
    backHref: searchPage(parameters),
    chooserHref: `/conventions/export?${queryStringOf(parameters)}`,
  });
}

function searchErrorMessages(t: Translate, errors: FieldErrors): string[] {
  return Object.entries(errors).map(([name, message]) => t('exports.refused.criterion', { field: t(`search.fields.${name}`), message }));
}

interface ChooserState {
  status?: number;
  checked?: readonly string[];
  errors?: FieldErrors;
}

async function renderChooser(
  knex: Knex,
  req: Request,
  res: Response,
  parameters: Record<string, string | string[]>,
  search: ParsedSearch,
  state: ChooserState,
): Promise<void> {
  const t = translate(res);
  const actor = actorOf(req);
  const [count, checked] = await Promise.all([
    matchingCount(knex, actor, search),
    state.checked ?? chosenColumns(knex, actor.login).then((columns) => columns.map((column) => column.key)),
  ]);
  res.status(state.status ?? 200).render('exports/chooser', {
    title: t('exports.chooser.title'),
    matching: t(count === 0 ? 'exports.chooser.matchingNone' : count === 1 ? 'exports.chooser.matchingOne' : 'exports.chooser.matchingMany', {
      count: countFormat.format(count),
    }),
    hiddenFields: Object.entries(parameters).flatMap(([name, value]) => [value].flat().map((item) => ({ name, value: item }))),
    groups: COLUMN_GROUPS.map((group) => ({
      legend: t(`exports.groups.${group}`),
      columns: EXPORT_COLUMNS.filter((column) => column.group === group).map((column) => ({
        key: column.key,
        label: t(`exports.columns.${column.key}`),
        checked: checked.includes(column.key),
      })),
    })),
    errors: state.errors ?? {},
    backHref: searchPage(parameters),
  });
}

/** The file's address: the search, then the columns as a readable `a,b,c` (keys are plain letters). */
function fileAddress(format: ExportFormat, parameters: Record<string, string | string[]>, keys: readonly string[]): string {
  const search = queryStringOf(parameters);
  return `/conventions/export.${format}?${search ? `${search}&` : ''}columns=${keys.join(',')}`;
}

const headersOf = (t: Translate, columns: readonly ExportColumn[]) => columns.map((column) => t(`exports.columns.${column.key}`));

export function exportsModule({ knex }: ModuleDependencies): AppModule {
  const router = Router();

  router.get('/conventions/export', ...guarded, async (req, res) => {
    const { parameters, search } = searchOf(req.query);
    if (Object.keys(search.errors).length > 0) {
      refuse(res, parameters, searchErrorMessages(translate(res), search.errors));
      return;
    }
    await renderChooser(knex, req, res, parameters, search, {});
  });

  router.post('/conventions/export', ...guarded, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const format = exportFormatSchema.safeParse(body.format);
    if (!format.success) throw badRequest();
    const { parameters, search } = searchOf(body);
    const chosen = parseForm(columnKeysSchema, body.columns);
    if (!chosen.ok) {
      const submitted = [body.columns].flat().filter((key): key is string => typeof key === 'string');
      await renderChooser(knex, req, res, parameters, search, { status: 400, checked: submitted, errors: { columns: chosen.errors._form! } });
      return;
    }
    await rememberColumns(knex, actorOf(req).login, chosen.value);
    res.redirect(303, fileAddress(format.data, parameters, chosen.value));
  });

  for (const format of EXPORT_FORMATS) {
    router.get(`/conventions/export.${format}`, ...guarded, async (req, res) => {
      const t = translate(res);
      const { parameters, search } = searchOf(req.query);
      const requested = req.query.columns === undefined ? null : parseForm(columnKeysSchema, req.query.columns);
      const messages = [...searchErrorMessages(t, search.errors), ...(requested?.ok === false ? [requested.errors._form!] : [])];
      if (messages.length > 0) {
        refuse(res, parameters, messages);
        return;
      }
      const columns = await columnsToExport(knex, actorOf(req).login, requested?.ok ? requested.value : null);
      await sendSpreadsheet(req, res, {
        format,
        fileName: `conventions-${todayInFrance()}.${format}`,
        rows: rowsToExport(knex, actorOf(req), search, columns),
        sheet: { columns, headers: headersOf(t, columns), t },
      });
    });
  }

  return { router };
}
