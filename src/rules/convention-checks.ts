/**
 * The legal checks of an internship agreement (DESIGN §4), as one pure function: facts in, blocking
 * issues and warnings out, each with a stable code, the field it concerns and a French message (the
 * raw values are in `params`, so another language can rebuild the message from the code).
 *
 * Fields named in issues are the properties of `ConventionFacts` (startDate, endDate, interruptions,
 * daysPerWeek, hoursPerWeek, gratification, tutor, academicSupervisor), plus `totalHours` for the
 * computed hours of presence.
 *
 * Every threshold comes from `LegalParameters` (the database at run time). Counts and hours of the
 * other conventions must be computed by the caller on EFFECTIVE values (validated amendments applied)
 * and must exclude the convention being checked.
 */
import { compareIsoDates, formatFrenchDate, isIsoDate, rangesOverlap, type DateRange } from './calendar.ts';
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
import { formatEuros, formatHours, hoursToMinutes } from './units.ts';

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
  | 'OVERLAPPING_CONVENTION'
  | 'TUTOR_INTERN_LIMIT'
  | 'SUPERVISOR_INTERN_LIMIT'
  | 'START_DATE_PASSED';

export interface Issue {
  code: IssueCode;
  field: string;
  message: string;
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

function describeOffer(cents: number, per: 'hour' | 'month', weeklyMinutes: number): string {
  return per === 'hour' ? `${formatEuros(cents)} par heure` : `${formatEuros(cents)} par mois pour ${formatHours(weeklyMinutes)} par semaine`;
}

export function checkConvention(facts: ConventionFacts, parameters: LegalParameters): ConventionCheckResult {
  const blocking: Issue[] = [];
  const warnings: Issue[] = [];
  const issue = (code: IssueCode, field: string, message: string, params: Record<string, string | number> = {}): Issue => ({
    code,
    field,
    message,
    params,
  });

  // Dates.
  const startValid = isIsoDate(facts.startDate);
  const endValid = isIsoDate(facts.endDate);
  if (!startValid) blocking.push(issue('INVALID_START_DATE', 'startDate', 'La date de début n’est pas une date valide.'));
  if (!endValid) blocking.push(issue('INVALID_END_DATE', 'endDate', 'La date de fin n’est pas une date valide.'));
  const datesValid = startValid && endValid && compareIsoDates(facts.startDate, facts.endDate) <= 0;
  if (startValid && endValid && !datesValid) {
    blocking.push(
      issue(
        'END_BEFORE_START',
        'endDate',
        `La date de fin (${formatFrenchDate(facts.endDate)}) est antérieure à la date de début (${formatFrenchDate(facts.startDate)}).`,
        { startDate: facts.startDate, endDate: facts.endDate },
      ),
    );
  }
  let interruptionsValid = true;
  for (const [index, interruption] of (facts.interruptions ?? []).entries()) {
    const wellFormed = isIsoDate(interruption.start) && isIsoDate(interruption.end) && compareIsoDates(interruption.start, interruption.end) <= 0;
    const inside =
      wellFormed && datesValid && compareIsoDates(facts.startDate, interruption.start) <= 0 && compareIsoDates(interruption.end, facts.endDate) <= 0;
    if (!wellFormed || (datesValid && !inside)) {
      interruptionsValid = false;
      blocking.push(
        issue(
          'INVALID_INTERRUPTION',
          'interruptions',
          wellFormed
            ? `L’interruption du ${formatFrenchDate(interruption.start)} au ${formatFrenchDate(interruption.end)} doit se situer pendant le stage.`
            : `L’interruption n° ${index + 1} n’a pas des dates valides (début avant fin).`,
          { index, start: interruption.start, end: interruption.end },
        ),
      );
    }
  }

  // Weekly schedule.
  const daysValid = isValidDaysPerWeek(facts.daysPerWeek);
  if (!daysValid) {
    blocking.push(
      issue('INVALID_DAYS_PER_WEEK', 'daysPerWeek', 'Le nombre de jours par semaine doit être compris entre 0,5 et 6, par demi-journée.', {
        daysPerWeek: facts.daysPerWeek,
      }),
    );
  }
  const weeklyMinutes = minutesOrNull(facts.hoursPerWeek);
  if (weeklyMinutes === null || weeklyMinutes <= 0) {
    blocking.push(issue('INVALID_HOURS_PER_WEEK', 'hoursPerWeek', 'La durée hebdomadaire doit être un nombre d’heures positif (minutes entières).'));
  } else {
    const maxWeekly = hoursToMinutes(parameters.maxWeeklyHours);
    const legalWeekly = hoursToMinutes(parameters.legalWeeklyHours);
    const params = { weeklyMinutes, maxMinutes: maxWeekly, legalMinutes: legalWeekly };
    if (weeklyMinutes > maxWeekly) {
      blocking.push(
        issue(
          'WEEKLY_HOURS_ABOVE_MAXIMUM',
          'hoursPerWeek',
          `La durée hebdomadaire de présence (${formatHours(weeklyMinutes)}) dépasse le maximum autorisé de ${formatHours(maxWeekly)}.`,
          params,
        ),
      );
    } else if (weeklyMinutes > legalWeekly) {
      warnings.push(
        issue(
          'WEEKLY_HOURS_ABOVE_LEGAL_DURATION',
          'hoursPerWeek',
          `La durée hebdomadaire de présence (${formatHours(weeklyMinutes)}) dépasse la durée légale de ${formatHours(legalWeekly)} : vérifiez qu’elle correspond à l’horaire des salariés de l’organisme.`,
          params,
        ),
      );
    }
    if (daysValid && parameters.maxDailyHours !== undefined) {
      const maxDaily = hoursToMinutes(parameters.maxDailyHours);
      // weekly / days > maxDaily, without division: weekly × 2 > maxDaily × 2d.
      if (weeklyMinutes * 2 > maxDaily * facts.daysPerWeek * 2) {
        warnings.push(
          issue(
            'DAILY_HOURS_ABOVE_MAXIMUM',
            'hoursPerWeek',
            `Réparties sur ${String(facts.daysPerWeek).replace('.', ',')} jours, ${formatHours(weeklyMinutes)} par semaine dépassent ${formatHours(maxDaily)} par jour, la durée quotidienne maximale.`,
            { weeklyMinutes, daysPerWeek: facts.daysPerWeek, maxDailyMinutes: maxDaily },
          ),
        );
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
    const othersText =
      others.length > 0 ? `, y compris les autres conventions de l’étudiant dans cet organisme (${others.map((other) => other.reference).join(', ')}),` : '';
    obligation = gratificationObligation({
      conventionMinutes: presence.totalMinutes,
      otherConventionsMinutes: others.map((other) => other.minutes),
      thresholdHours: parameters.gratificationThresholdHours,
    });
    const maxMinutes = hoursToMinutes(parameters.maxHoursPerHostPerAcademicYear);
    if (obligation.totalMinutes > maxMinutes) {
      blocking.push(
        issue(
          'HOST_HOURS_ABOVE_MAXIMUM',
          'totalHours',
          `La durée de présence dans cet organisme pour l’année universitaire${othersText} est de ${formatHours(obligation.totalMinutes)} : elle ne peut pas dépasser ${formatHours(maxMinutes)}.`,
          { totalMinutes: obligation.totalMinutes, conventionMinutes: presence.totalMinutes, maxMinutes },
        ),
      );
    }
    gratification = evaluateGratification({
      obligation,
      presenceByYear: presence.byYear,
      weeklyMinutes,
      offered: facts.gratification,
      hourlyMinimumByYear: parameters.minimumHourlyGratification,
    });
    const required = describeOffer(gratification.requiredCents, gratification.period, weeklyMinutes);
    const params = {
      totalMinutes: obligation.totalMinutes,
      thresholdMinutes: obligation.thresholdMinutes,
      requiredCents: gratification.requiredCents,
      period: gratification.period,
    };
    if (gratification.reason === 'missing') {
      blocking.push(
        issue(
          'GRATIFICATION_MISSING',
          'gratification',
          `La durée de présence dans cet organisme pour l’année universitaire${othersText} est de ${formatHours(obligation.totalMinutes)} : au-delà de ${formatHours(obligation.thresholdMinutes)}, une gratification est obligatoire, d’au moins ${required}.`,
          params,
        ),
      );
    } else if (gratification.reason === 'below-minimum' && facts.gratification) {
      blocking.push(
        issue(
          'GRATIFICATION_BELOW_MINIMUM',
          'gratification',
          `La gratification prévue (${describeOffer(facts.gratification.amountCents, facts.gratification.per, weeklyMinutes)}) est inférieure au minimum légal de ${required}.`,
          { ...params, offeredCents: facts.gratification.amountCents, yearsBelow: gratification.yearsBelow.join(',') },
        ),
      );
    }
    const provisional = gratification.required.filter((year) => year.provisional);
    if (gratification.mandatory && provisional.length > 0) {
      const years = provisional.map((year) => year.year).join(', ');
      warnings.push(
        issue(
          'GRATIFICATION_RATE_PROVISIONAL',
          'gratification',
          `Le montant horaire minimal de ${years} n’est pas encore enregistré : celui de l’année précédente connue est appliqué.`,
          { years },
        ),
      );
    }
  }

  // Other conventions of the student.
  if (datesValid) {
    const period = { start: facts.startDate, end: facts.endDate };
    const overlapping = (facts.otherConventions ?? []).filter((other) => rangesOverlap(period, { start: other.startDate, end: other.endDate }));
    if (overlapping.length > 0) {
      const references = overlapping.map((other) => other.reference).join(', ');
      const overlap = issue(
        'OVERLAPPING_CONVENTION',
        'startDate',
        `Les dates du stage chevauchent celles d’une autre convention de l’étudiant (${references})${facts.overlapsAllowed ? '.' : ' : le centre de gestion n’autorise pas les stages simultanés.'}`,
        { references },
      );
      (facts.overlapsAllowed ? warnings : blocking).push(overlap);
    }
  }

  // Supervision.
  if (typeof facts.tutorInternCount === 'number' && facts.tutorInternCount >= parameters.maxInternsPerTutor) {
    warnings.push(
      issue(
        'TUTOR_INTERN_LIMIT',
        'tutor',
        `Ce tuteur encadre déjà ${facts.tutorInternCount} stagiaire(s) en cours ; un tuteur ne peut pas encadrer plus de ${parameters.maxInternsPerTutor} stagiaires en même temps.`,
        { count: facts.tutorInternCount, max: parameters.maxInternsPerTutor },
      ),
    );
  }
  if (typeof facts.supervisorInternCount === 'number' && facts.supervisorInternCount >= parameters.maxInternsPerAcademicSupervisor) {
    warnings.push(
      issue(
        'SUPERVISOR_INTERN_LIMIT',
        'academicSupervisor',
        `Cet enseignant référent suit déjà ${facts.supervisorInternCount} stagiaire(s) ; le plafond est de ${parameters.maxInternsPerAcademicSupervisor}.`,
        { count: facts.supervisorInternCount, max: parameters.maxInternsPerAcademicSupervisor },
      ),
    );
  }

  // Start date already passed.
  if (startValid && compareIsoDates(facts.startDate, facts.today) < 0) {
    const passed = issue('START_DATE_PASSED', 'startDate', `La date de début du stage (${formatFrenchDate(facts.startDate)}) est déjà passée.`, {
      startDate: facts.startDate,
      today: facts.today,
    });
    (facts.role === 'student' ? blocking : warnings).push(passed);
  }

  return { blocking, warnings, presence, obligation, gratification };
}
