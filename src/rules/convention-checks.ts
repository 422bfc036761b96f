/**
 * The legal checks of an internship agreement (docs/domain.md), as one pure function: facts in, blocking
 * issues and warnings out, each with a stable code, the field it concerns and the raw values of its
 * message in `params`: the words are the interface's (src/conventions/shared/check-messages.ts), in the
 * language of whoever reads them, so this module stays free of any language.
 *
 * Fields named in issues are the properties of `ConventionFacts` (startDate, endDate, interruptions,
 * daysPerWeek, hoursPerWeek, gratification, tutor, academicSupervisor), plus `totalHours` for the
 * computed hours of presence.
 *
 * Every threshold comes from `LegalParameters` (the database at run time). Counts and hours of the
 * other conventions must be computed by the caller on EFFECTIVE values (validated amendments applied)
 * and must exclude the convention being checked.
 */
import { compareIsoDates, isIsoDate, rangesOverlap, type DateRange } from './calendar.ts';
import {
  evaluateGratification,
  gratificationObligation,
  type GratificationVerdict,
  type HourlyMinimumTable,
  type Obligation,
  type OfferedGratification,
} from './gratification.ts';
import { computePresence, isValidDaysPerWeek, type Presence } from './presence-hours.ts';
import type { ExtraHolidays } from './public-holidays.ts';
import { hoursToMinutes } from './units.ts';

export type ActorRole = 'student' | 'staff';

export type IssueCode =
  | 'INVALID_START_DATE'
  | 'INVALID_END_DATE'
  | 'END_BEFORE_START'
  | 'INVALID_INTERRUPTION'
  | 'INVALID_DAYS_PER_WEEK'
  | 'INVALID_HOURS_PER_WEEK'
  | 'WEEKLY_HOURS_ABOVE_MAXIMUM'
  | 'WEEKLY_HOURS_ABOVE_LEGAL_DURATION'
  | 'DAILY_HOURS_ABOVE_MAXIMUM'
  | 'HOST_HOURS_ABOVE_MAXIMUM'
  | 'GRATIFICATION_MISSING'
  | 'GRATIFICATION_BELOW_MINIMUM'
  | 'GRATIFICATION_RATE_PROVISIONAL'
  | 'GRATIFICATION_RATE_UNKNOWN'
  | 'OVERLAPPING_CONVENTION'
  | 'TUTOR_INTERN_LIMIT'
  | 'SUPERVISOR_INTERN_LIMIT'
  | 'START_DATE_PASSED';

export interface Issue {
  code: IssueCode;
  field: string;
  params: Record<string, string | number>;
}

export interface OtherConventionHours {
  /** Number or label of the convention, quoted in messages. */
  reference: string;
  minutes: number;
}

export interface OtherConventionDates {
  reference: string;
  startDate: string;
  endDate: string;
}

export interface ConventionFacts {
  startDate: string;
  endDate: string;
  daysPerWeek: number;
  hoursPerWeek: number | string;
  interruptions?: readonly DateRange[];
  /** Holidays added to the national list (see public-holidays.ts). */
  extraHolidays?: ExtraHolidays;
  /** null when no gratification is planned. */
  gratification: OfferedGratification | null;
  /** The student's other conventions with the same host in the same academic year, with their hours. */
  sameHostConventions?: readonly OtherConventionHours[];
  /** The student's other conventions (any host, not cancelled or refused), for overlaps. */
  otherConventions?: readonly OtherConventionDates[];
  /** Current interns of the chosen tutor, this one excluded (R124-13); omitted when no tutor is chosen. */
  tutorInternCount?: number | null;
  /** Current interns of the chosen academic supervisor, this one excluded; omitted when none is chosen. */
  supervisorInternCount?: number | null;
  /** Centre setting: when false, an overlap blocks instead of warning. */
  overlapsAllowed: boolean;
  /** Who submits: a student is blocked where staff are warned (start date passed). */
  role: ActorRole;
  /** Today's date in France (`todayInFrance()`), passed in to keep the function pure. */
  today: string;
}

export interface LegalParameters {
  hoursPerDay: number | string;
  daysPerMonth: number;
  gratificationThresholdHours: number | string;
  maxHoursPerHostPerAcademicYear: number | string;
  /** Legal working week (35 h): above it, a warning. */
  legalWeeklyHours: number | string;
  /** Absolute weekly maximum (48 h): above it, blocking. */
  maxWeeklyHours: number | string;
  /** Daily maximum (10 h): an even spread above it gives a warning. Optional. */
  maxDailyHours?: number | string;
  maxInternsPerTutor: number;
  /** The cap that applies (the institution may set one lower than the legal one). */
  maxInternsPerAcademicSupervisor: number;
  minimumHourlyGratification: HourlyMinimumTable;
}

export interface ConventionCheckResult {
  blocking: Issue[];
  warnings: Issue[];
  /** Hours of presence of this convention; null when dates or schedule are invalid. */
  presence: Presence | null;
  /** Gratification obligation over the same host and academic year; null when presence is null. */
  obligation: Obligation | null;
  /** Gratification verdict with the legal minimum; null when presence is null. */
  gratification: GratificationVerdict | null;
}

function minutesOrNull(hours: number | string): number | null {
  try {
    return hoursToMinutes(hours);
  } catch {
    return null;
  }
}

export function checkConvention(facts: ConventionFacts, parameters: LegalParameters): ConventionCheckResult {
  const blocking: Issue[] = [];
  const warnings: Issue[] = [];
  const issue = (code: IssueCode, field: string, params: Record<string, string | number> = {}): Issue => ({ code, field, params });

  // Dates.
  const startValid = isIsoDate(facts.startDate);
  const endValid = isIsoDate(facts.endDate);
  if (!startValid) blocking.push(issue('INVALID_START_DATE', 'startDate'));
  if (!endValid) blocking.push(issue('INVALID_END_DATE', 'endDate'));
  const datesValid = startValid && endValid && compareIsoDates(facts.startDate, facts.endDate) <= 0;
  if (startValid && endValid && !datesValid) {
    blocking.push(issue('END_BEFORE_START', 'endDate', { startDate: facts.startDate, endDate: facts.endDate }));
  }
  let interruptionsValid = true;
  for (const [index, interruption] of (facts.interruptions ?? []).entries()) {
    const wellFormed = isIsoDate(interruption.start) && isIsoDate(interruption.end) && compareIsoDates(interruption.start, interruption.end) <= 0;
    const inside =
      wellFormed && datesValid && compareIsoDates(facts.startDate, interruption.start) <= 0 && compareIsoDates(interruption.end, facts.endDate) <= 0;
    if (!wellFormed || (datesValid && !inside)) {
      interruptionsValid = false;
      // `outside`: the dates are right but not within the internship; `dates`: they are not dates in order.
      const reason = wellFormed ? 'outside' : 'dates';
      blocking.push(issue('INVALID_INTERRUPTION', 'interruptions', { index, start: interruption.start, end: interruption.end, reason }));
    }
  }

  // Weekly schedule.
  const daysValid = isValidDaysPerWeek(facts.daysPerWeek);
  if (!daysValid) {
    blocking.push(issue('INVALID_DAYS_PER_WEEK', 'daysPerWeek', { daysPerWeek: facts.daysPerWeek }));
  }
  const weeklyMinutes = minutesOrNull(facts.hoursPerWeek);
  if (weeklyMinutes === null || weeklyMinutes <= 0) {
    blocking.push(issue('INVALID_HOURS_PER_WEEK', 'hoursPerWeek'));
  } else {
    const maxWeekly = hoursToMinutes(parameters.maxWeeklyHours);
    const legalWeekly = hoursToMinutes(parameters.legalWeeklyHours);
    const params = { weeklyMinutes, maxMinutes: maxWeekly, legalMinutes: legalWeekly };
    if (weeklyMinutes > maxWeekly) {
      blocking.push(issue('WEEKLY_HOURS_ABOVE_MAXIMUM', 'hoursPerWeek', params));
    } else if (weeklyMinutes > legalWeekly) {
      warnings.push(issue('WEEKLY_HOURS_ABOVE_LEGAL_DURATION', 'hoursPerWeek', params));
    }
    if (daysValid && parameters.maxDailyHours !== undefined) {
      const maxDaily = hoursToMinutes(parameters.maxDailyHours);
      // weekly / days > maxDaily, without division: weekly × 2 > maxDaily × 2d.
      if (weeklyMinutes * 2 > maxDaily * facts.daysPerWeek * 2) {
        warnings.push(issue('DAILY_HOURS_ABOVE_MAXIMUM', 'hoursPerWeek', { weeklyMinutes, daysPerWeek: facts.daysPerWeek, maxDailyMinutes: maxDaily }));
      }
    }
  }

  // Hours of presence, 924-hour cap, gratification.
  let presence: Presence | null = null;
  let obligation: Obligation | null = null;
  let gratification: GratificationVerdict | null = null;
  if (datesValid && interruptionsValid && daysValid && weeklyMinutes !== null && weeklyMinutes > 0) {
    presence = computePresence(
      {
        startDate: facts.startDate,
        endDate: facts.endDate,
        daysPerWeek: facts.daysPerWeek,
        hoursPerWeek: facts.hoursPerWeek,
        interruptions: facts.interruptions,
        extraHolidays: facts.extraHolidays,
      },
      parameters,
    );
    const others = facts.sameHostConventions ?? [];
    // Quoted in the messages on hours counted over the host and academic year ('' when there are none).
    const sameHostReferences = others.map((other) => other.reference).join(', ');
    obligation = gratificationObligation({
      conventionMinutes: presence.totalMinutes,
      otherConventionsMinutes: others.map((other) => other.minutes),
      thresholdHours: parameters.gratificationThresholdHours,
    });
    const maxMinutes = hoursToMinutes(parameters.maxHoursPerHostPerAcademicYear);
    if (obligation.totalMinutes > maxMinutes) {
      blocking.push(
        issue('HOST_HOURS_ABOVE_MAXIMUM', 'totalHours', {
          totalMinutes: obligation.totalMinutes,
          conventionMinutes: presence.totalMinutes,
          maxMinutes,
          sameHostReferences,
        }),
      );
    }
    gratification = evaluateGratification({
      obligation,
      presenceByYear: presence.byYear,
      weeklyMinutes,
      offered: facts.gratification,
      hourlyMinimumByYear: parameters.minimumHourlyGratification,
    });
    // No amount is quoted when no year of the internship has a known minimum (see gratification.ts).
    const requiredCents = gratification.requiredCents;
    const params = {
      totalMinutes: obligation.totalMinutes,
      thresholdMinutes: obligation.thresholdMinutes,
      ...(requiredCents === null ? {} : { requiredCents }),
      period: gratification.period,
      // A monthly amount is quoted with the weekly hours it pays.
      weeklyMinutes,
    };
    if (gratification.reason === 'missing') {
      blocking.push(issue('GRATIFICATION_MISSING', 'gratification', { ...params, sameHostReferences }));
    } else if (gratification.reason === 'below-minimum' && facts.gratification && requiredCents !== null) {
      blocking.push(
        issue('GRATIFICATION_BELOW_MINIMUM', 'gratification', {
          ...params,
          offeredCents: facts.gratification.amountCents,
          offeredPer: facts.gratification.per,
          yearsBelow: gratification.yearsBelow.join(','),
        }),
      );
    }
    const provisional = gratification.required.filter((year) => !year.unknown && year.provisional);
    if (gratification.mandatory && provisional.length > 0) {
      const years = provisional.map((year) => year.year).join(', ');
      warnings.push(issue('GRATIFICATION_RATE_PROVISIONAL', 'gratification', { years }));
    }
    if (gratification.mandatory && gratification.unknownYears.length > 0) {
      const years = gratification.unknownYears.join(', ');
      warnings.push(issue('GRATIFICATION_RATE_UNKNOWN', 'gratification', { years }));
    }
  }

  // Other conventions of the student.
  if (datesValid) {
    const period = { start: facts.startDate, end: facts.endDate };
    const overlapping = (facts.otherConventions ?? []).filter((other) => rangesOverlap(period, { start: other.startDate, end: other.endDate }));
    if (overlapping.length > 0) {
      const references = overlapping.map((other) => other.reference).join(', ');
      // The message says why it blocks: the centre's setting.
      const overlap = issue('OVERLAPPING_CONVENTION', 'startDate', { references, centre: facts.overlapsAllowed ? 'allows' : 'forbids' });
      (facts.overlapsAllowed ? warnings : blocking).push(overlap);
    }
  }

  // Supervision.
  if (typeof facts.tutorInternCount === 'number' && facts.tutorInternCount >= parameters.maxInternsPerTutor) {
    warnings.push(issue('TUTOR_INTERN_LIMIT', 'tutor', { count: facts.tutorInternCount, max: parameters.maxInternsPerTutor }));
  }
  if (typeof facts.supervisorInternCount === 'number' && facts.supervisorInternCount >= parameters.maxInternsPerAcademicSupervisor) {
    warnings.push(
      issue('SUPERVISOR_INTERN_LIMIT', 'academicSupervisor', { count: facts.supervisorInternCount, max: parameters.maxInternsPerAcademicSupervisor }),
    );
  }

  // Start date already passed.
  if (startValid && compareIsoDates(facts.startDate, facts.today) < 0) {
    const passed = issue('START_DATE_PASSED', 'startDate', { startDate: facts.startDate, today: facts.today });
    (facts.role === 'student' ? blocking : warnings).push(passed);
  }

  return { blocking, warnings, presence, obligation, gratification };
}
