import type { Db } from '../../db/knex.ts';
import { checkConvention, type ActorRole, type ConventionCheckResult, type Issue, type LegalParameters } from '../../rules/convention-checks.ts';
import type { OfferedGratification } from '../../rules/gratification.ts';
import { loadLegalParameterRows, type OtherConventionFacts } from './repository.ts';
import { issueMessage } from './check-messages.ts';

/**
 * The bridge between a convention's saved or typed values and the pure legal rules of src/rules:
 * parameters read from the database (never literals), facts built from the values, issues placed
 * next to the form fields they concern.
 */
const PARAMETER_KEYS = {
  hoursPerDay: 'hoursPerDay',
  daysPerMonth: 'daysPerMonth',
  gratificationThresholdHours: 'gratificationThresholdHours',
  maxHoursPerHostPerAcademicYear: 'maxHoursPerHostPerAcademicYear',
  legalWeeklyHours: 'legalWeeklyHours',
  maxWeeklyHours: 'maxWeeklyHours',
  maxDailyHours: 'maxDailyHours',
  maxInternsPerTutor: 'maxInternsPerTutor',
  maxInternsPerAcademicSupervisor: 'maxInternsPerAcademicSupervisor',
} as const;

/** Shapes the rows of legal_parameter and legal_yearly_rate as the rules take them. */
export function legalParametersFrom(
  parameters: Record<string, unknown>,
  rates: readonly { year: number; minimum_hourly_gratification: string | number }[],
): LegalParameters {
  const value = (key: string): number => {
    const stored = (parameters[key] as { value?: unknown } | undefined)?.value;
    if (typeof stored !== 'number' && typeof stored !== 'string') throw new Error(`legal parameter ${key} is missing from legal_parameter`);
    return Number(stored);
  };
  const optional = (key: string): number | undefined => ((parameters[key] as { value?: unknown } | undefined)?.value === undefined ? undefined : value(key));
  return {
    hoursPerDay: value(PARAMETER_KEYS.hoursPerDay),
    daysPerMonth: value(PARAMETER_KEYS.daysPerMonth),
    gratificationThresholdHours: value(PARAMETER_KEYS.gratificationThresholdHours),
    maxHoursPerHostPerAcademicYear: value(PARAMETER_KEYS.maxHoursPerHostPerAcademicYear),
    legalWeeklyHours: value(PARAMETER_KEYS.legalWeeklyHours),
    maxWeeklyHours: value(PARAMETER_KEYS.maxWeeklyHours),
    maxDailyHours: optional(PARAMETER_KEYS.maxDailyHours),
    maxInternsPerTutor: value(PARAMETER_KEYS.maxInternsPerTutor),
    maxInternsPerAcademicSupervisor: value(PARAMETER_KEYS.maxInternsPerAcademicSupervisor),
    minimumHourlyGratification: Object.fromEntries(rates.map((rate) => [String(rate.year), String(rate.minimum_hourly_gratification)])),
  };
}

export async function loadLegalParameters(db: Db): Promise<LegalParameters> {
  const { parameters, rates } = await loadLegalParameterRows(db);
  return legalParametersFrom(parameters, rates);
}

/** The internship values the rules look at, as saved (NUMERIC as strings) or as typed. */
export interface InternshipValues {
  start_date: string | null;
  end_date: string | null;
  days_per_week: string | number | null;
  hours_per_week: string | number | null;
  interruptions: readonly { start: string; end: string }[];
  gratification: boolean | null;
  gratification_amount_cents: number | null;
  gratification_basis: string | null;
  gratification_per: 'hour' | 'month' | null;
}

export interface CheckContext {
  others: OtherConventionFacts;
  overlapsAllowed: boolean;
  role: ActorRole;
  today: string;
  tutorInternCount?: number | null;
  supervisorInternCount?: number | null;
}

function offered(values: InternshipValues): OfferedGratification | null {
  if (!values.gratification || values.gratification_amount_cents === null || values.gratification_per === null) return null;
  return { amountCents: values.gratification_amount_cents, per: values.gratification_per, basis: values.gratification_basis === 'BRUT' ? 'gross' : 'net' };
}

/** Runs the legal checks (src/rules/convention-checks.ts); null when the internship has no dates yet. */
export function runChecks(values: InternshipValues, context: CheckContext, parameters: LegalParameters): ConventionCheckResult | null {
  if (!values.start_date || !values.end_date || values.days_per_week === null || values.hours_per_week === null) return null;
  return checkConvention(
    {
      startDate: values.start_date,
      endDate: values.end_date,
      daysPerWeek: Number(values.days_per_week),
      hoursPerWeek: String(values.hours_per_week),
      interruptions: values.interruptions,
      gratification: offered(values),
      sameHostConventions: context.others.sameHost,
      otherConventions: context.others.dates,
      tutorInternCount: context.tutorInternCount,
      supervisorInternCount: context.supervisorInternCount,
      overlapsAllowed: context.overlapsAllowed,
      role: context.role,
      today: context.today,
    },
    parameters,
  );
}

/** Where each issue of the rules is shown on the internship form. */
const FIELD_OF_ISSUE: Record<string, string> = {
  startDate: 'start_date',
  endDate: 'end_date',
  interruptions: 'interruption_1_start',
  daysPerWeek: 'days_per_week',
  hoursPerWeek: 'hours_per_week',
  totalHours: 'end_date',
  gratification: 'gratification_amount',
  tutor: 'tutor',
  academicSupervisor: 'supervisor',
};

export function formFieldOf(issue: Issue): string {
  if (issue.field === 'gratification' && issue.code === 'GRATIFICATION_MISSING') return 'gratification';
  return FIELD_OF_ISSUE[issue.field] ?? '_form';
}

/** Blocking issues as field errors; several issues on one field are shown together. */
export function issuesAsErrors(issues: readonly Issue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = formFieldOf(issue);
    const message = issueMessage(issue);
    errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  }
  return errors;
}
