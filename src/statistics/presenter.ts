import type { Translate } from '../i18n/index.ts';
import { CRITERIA, type CriterionName } from './criteria.ts';
import type { CrossTable, Heading } from './cross-table.ts';
import type { HeadlineFigures } from './headline.ts';
import type { CentreChoice, StatisticsRequest } from './service.ts';
import { localeNumberFormat } from '../i18n/formats.ts';

/** The texts of the statistics that the page, the chart and the XLSX share. */

export const criterionLabel = (t: Translate, criterion: CriterionName) => t(`statistics.criteria.${criterion}`);
const inSentence = (t: Translate, criterion: CriterionName) => t(`statistics.criteriaInSentence.${criterion}`);

export function headingOf(t: Translate, request: StatisticsRequest): string {
  return t('statistics.result.heading', { first: inSentence(t, request.first), second: inSentence(t, request.second) });
}

/** The year, the status and the centres counted, in one line. */
export function scopeOf(t: Translate, request: StatisticsRequest, centres: CentreChoice[]): string {
  const chosen = request.centreIds === null ? null : centres.filter((centre) => request.centreIds!.includes(centre.id));
  return t('statistics.result.scope', {
    year: request.academicYear === null ? t('statistics.result.allYears') : t('statistics.result.year', { year: request.academicYear }),
    status: request.status === null ? t('statistics.allStatuses') : t(`search.statuses.${request.status}`),
    centres: chosen === null ? t('statistics.allCentres') : chosen.map((centre) => centre.name).join(', '),
  });
}

export function captionOf(t: Translate, request: StatisticsRequest, scope: string): string {
  return t('statistics.result.caption', { first: inSentence(t, request.first), second: inSentence(t, request.second), scope });
}

/** The sentence that says what the chart shows, for those who cannot see it. */
export function chartSummaryOf(t: Translate, request: StatisticsRequest, table: CrossTable): string {
  const list = (items: { heading: Heading; total: number }[]) =>
    items.map((item) => t('statistics.chart.item', { label: item.heading.label, count: item.total })).join(', ');
  return t('statistics.chart.summary', {
    total: table.total,
    first: inSentence(t, request.first),
    rows: list(table.rows),
    second: inSentence(t, request.second),
    columns: list(table.columns),
  });
}

/** Explanations the page gives under the table for the criteria that need one. */
export function notesOf(t: Translate, request: StatisticsRequest, table: CrossTable): string[] {
  const notes: string[] = [];
  if (table.grouped > 0)
    notes.push(t('statistics.result.grouped', { top: table.columns.filter((column) => column.heading.kind === 'value').length, count: table.grouped }));
  if (request.second === 'duration') notes.push(t('statistics.result.durationBands'));
  if (request.second === 'internshipDepartment') notes.push(t('statistics.result.internshipDepartment'));
  if (request.first === 'department') notes.push(t('statistics.result.department'));
  return notes;
}

export type ListLink = (row: Heading | null, column: Heading | null) => string | null;

/**
 * The address of the list of the conventions a figure counts (`null`: total of that side), when the
 * search can select them: both criteria have a search parameter, the value is known (not "Autres"
 * nor "Non renseigné") and every centre of the person is counted, as in the list.
 */
export function listLinkOf(request: StatisticsRequest): ListLink {
  const rowParameter = CRITERIA[request.first].searchParameter;
  const columnParameter = CRITERIA[request.second].searchParameter;
  return (row, column) => {
    if (request.centreIds !== null) return null;
    const parameters = new URLSearchParams({ search: '1' });
    if (request.academicYear !== null) parameters.set('academicYear', request.academicYear);
    if (request.status !== null) parameters.set('status', request.status);
    for (const [heading, parameter] of [
      [row, rowParameter],
      [column, columnParameter],
    ] as const) {
      if (heading === null) continue;
      if (parameter === null || heading.kind !== 'value') return null;
      parameters.set(parameter, heading.value!);
    }
    return `/conventions?${parameters.toString()}`;
  };
}

/** The XLSX of the same figures as the page: the same parameters. */
export function exportHrefOf(values: Record<string, string | string[]>): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) for (const item of [value].flat()) if (item !== '') parameters.append(name, item);
  return `/statistics/export.xlsx?${parameters.toString()}`;
}

const percent = localeNumberFormat({ style: 'percent', maximumFractionDigits: 0 });
const oneDecimal = localeNumberFormat({ minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** The headline figures as the home page shows them, each count of a status linked to its list. */
export function presentHeadline(t: Translate, figures: HeadlineFigures) {
  const listOf = (status: string) => `/conventions?${new URLSearchParams({ search: '1', academicYear: figures.academicYear, status }).toString()}`;
  return {
    heading: t('statistics.headline.heading', { year: figures.academicYear }),
    byStatus: figures.byStatus.map(({ status, count }) => ({ label: t(`conventions.statuses.${status}`), count, href: listOf(status) })),
    basis: t('statistics.headline.basis', { count: figures.standing }),
    gratifiedShare: figures.gratifiedShare === null ? t('statistics.headline.notApplicable') : percent.format(figures.gratifiedShare),
    averageDuration:
      figures.averageWeeks === null
        ? t('statistics.headline.notApplicable')
        : t('statistics.headline.weeks', { count: oneDecimal.format(figures.averageWeeks) }),
    topHosts: figures.topHosts.map((host) => ({ label: host.town ? `${host.name} (${host.town})` : host.name, count: host.count })),
    statisticsHref: `/statistics?${new URLSearchParams({ academicYear: figures.academicYear }).toString()}`,
  };
}
