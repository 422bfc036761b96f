import { t } from '../../i18n/index.ts';
import { localeDateTimeFormat, localeEuros as euros, localeHours as hours, localeNumberFormat } from '../../i18n/formats.ts';
import type { Issue } from '../../rules/convention-checks.ts';
import { isIsoDate } from '../../rules/calendar.ts';

/**
 * The words of the legal checks: the rules give a code and raw values (ISO dates, minutes, cents), this
 * turns them into a sentence in the language of the request, when it is shown.
 */

const dateFormat = localeDateTimeFormat({ dateStyle: 'short', timeZone: 'UTC' });
const numberFormat = localeNumberFormat({ maximumFractionDigits: 2 });

const date = (value: string | number | undefined) =>
  typeof value === 'string' && isIsoDate(value) ? dateFormat.format(new Date(`${value}T00:00:00Z`)) : String(value ?? '');

function amount(cents: number, per: string | number | undefined, weeklyMinutes: number): string {
  return per === 'month'
    ? t('conventions.checkParts.perMonth', { amount: euros(cents), weekly: hours(weeklyMinutes) })
    : t('conventions.checkParts.perHour', { amount: euros(cents) });
}

const sameHost = (references: string | number | undefined) => (references ? t('conventions.checkParts.sameHost', { references }) : '');

export function issueMessage(issue: Issue): string {
  const p = issue.params;
  const minutes = (name: string) => hours(Number(p[name]));
  const key = `conventions.checks.${issue.code}`;
  switch (issue.code) {
    case 'END_BEFORE_START':
    case 'START_DATE_PASSED':
      return t(key, { startDate: date(p.startDate), endDate: date(p.endDate) });
    case 'INVALID_INTERRUPTION':
      return p.reason === 'outside'
        ? t(key, { start: date(p.start), end: date(p.end) })
        : t('conventions.checks.INVALID_INTERRUPTION_DATES', { number: Number(p.index) + 1 });
    case 'WEEKLY_HOURS_ABOVE_MAXIMUM':
    case 'WEEKLY_HOURS_ABOVE_LEGAL_DURATION':
      return t(key, { weekly: minutes('weeklyMinutes'), max: minutes('maxMinutes'), legal: minutes('legalMinutes') });
    case 'DAILY_HOURS_ABOVE_MAXIMUM':
      return t(key, { days: numberFormat.format(Number(p.daysPerWeek)), weekly: minutes('weeklyMinutes'), maxDaily: minutes('maxDailyMinutes') });
    case 'HOST_HOURS_ABOVE_MAXIMUM':
      return t(key, { others: sameHost(p.sameHostReferences), total: minutes('totalMinutes'), max: minutes('maxMinutes') });
    case 'GRATIFICATION_MISSING': {
      // No amount is quoted when no year of the internship has a known minimum.
      const minimum =
        p.requiredCents === undefined
          ? ''
          : t('conventions.checkParts.atLeast', { amount: amount(Number(p.requiredCents), p.period, Number(p.weeklyMinutes)) });
      return t(key, { others: sameHost(p.sameHostReferences), total: minutes('totalMinutes'), threshold: minutes('thresholdMinutes'), minimum });
    }
    case 'GRATIFICATION_BELOW_MINIMUM':
      return t(key, {
        offered: amount(Number(p.offeredCents), p.offeredPer, Number(p.weeklyMinutes)),
        required: amount(Number(p.requiredCents), p.period, Number(p.weeklyMinutes)),
      });
    case 'OVERLAPPING_CONVENTION':
      return t(p.centre === 'forbids' ? 'conventions.checks.OVERLAPPING_CONVENTION_FORBIDDEN' : key, { references: p.references ?? '' });
    default:
      return t(key, p);
  }
}
