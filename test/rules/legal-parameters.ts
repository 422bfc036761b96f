import { readFileSync } from 'node:fs';
import type { LegalParameters } from '../../src/rules/convention-checks.ts';

/**
 * The legal parameters of the seed file (the database's at run time), shaped as the rules take them.
 * The legal working week (35 h) is not in that file: it is added here, as the service will.
 */
interface SeedParameters {
  hoursPerDay: { value: number };
  daysPerMonth: { value: number };
  gratificationThresholdHours: { value: number };
  maxHoursPerHostPerAcademicYear: { value: number };
  maxWeeklyHours: { value: number };
  maxDailyHours: { value: number };
  maxInternsPerTutor: { value: number };
  maxInternsPerAcademicSupervisor: { value: number };
  hourlySocialSecurityCeilingByYear: { minimumHourlyGratification: Record<string, number> };
}

const seed = JSON.parse(readFileSync(new URL('../../seeds/data/legal-parameters.json', import.meta.url), 'utf8')) as SeedParameters;

export const legalParameters: LegalParameters = {
  hoursPerDay: seed.hoursPerDay.value,
  daysPerMonth: seed.daysPerMonth.value,
  gratificationThresholdHours: seed.gratificationThresholdHours.value,
  maxHoursPerHostPerAcademicYear: seed.maxHoursPerHostPerAcademicYear.value,
  legalWeeklyHours: 35,
  maxWeeklyHours: seed.maxWeeklyHours.value,
  maxDailyHours: seed.maxDailyHours.value,
  maxInternsPerTutor: seed.maxInternsPerTutor.value,
  maxInternsPerAcademicSupervisor: seed.maxInternsPerAcademicSupervisor.value,
  minimumHourlyGratification: seed.hourlySocialSecurityCeilingByYear.minimumHourlyGratification,
};

export const durationParameters = { hoursPerDay: legalParameters.hoursPerDay, daysPerMonth: legalParameters.daysPerMonth };
