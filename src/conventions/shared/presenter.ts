import type { Translate } from '../../i18n/index.ts';
import { formatFrenchDate } from '../../rules/calendar.ts';
import { displayNir } from '../../privacy/nir.ts';
import type { ConventionDetails } from './repository.ts';
import { INTERRUPTION_ROWS, type ReferenceChoices, type ReferenceListName } from './schemas.ts';
import { basePath, STEPS, type ConventionAccess, type StepName } from './open.ts';
import { localeDateTimeFormat, localeEuros, localeHours, localeNumberFormat } from '../../i18n/formats.ts';
import { issueMessage } from './check-messages.ts';

/** What the templates need to show a convention: form values, labels of codes, steps and tabs. */

/** A saved convention as the values of its forms (NUMERIC trimmed, cents as euros, booleans as yes/no). */
export function formValues(convention: ConventionDetails): Record<string, unknown> {
  const values: Record<string, unknown> = { ...convention };
  values.days_per_week = convention.days_per_week === null ? '5' : String(Number(convention.days_per_week));
  values.hours_per_week = convention.hours_per_week === null ? '' : String(Number(convention.hours_per_week));
  values.gratification = convention.gratification === null ? '' : convention.gratification ? 'yes' : 'no';
  values.gratification_amount = convention.gratification_amount_cents === null ? '' : (convention.gratification_amount_cents / 100).toFixed(2);
  values.internship_country = convention.internship_country ?? 'FR';
  values.print_language = convention.print_language ?? 'fr';
  convention.interruptions.forEach((interruption, index) => {
    if (index >= INTERRUPTION_ROWS) return;
    values[`interruption_${index + 1}_start`] = interruption.start;
    values[`interruption_${index + 1}_end`] = interruption.end;
  });
  return values;
}

/** The label of a reference code, or the code itself when the list no longer has it. */
export function labeller(choices: ReferenceChoices) {
  const maps = new Map<string, Map<string, string>>();
  return (list: ReferenceListName, code: string | null | undefined): string => {
    if (code === null || code === undefined || code === '') return '';
    let map = maps.get(list);
    if (!map) {
      map = new Map(choices[list].map((option) => [option.code, option.label]));
      maps.set(list, map);
    }
    return map.get(code) ?? code;
  };
}

export interface StepLink {
  step: StepName;
  label: string;
  href: string | null;
  complete: boolean;
}

/**
 * The steps for the indicator (drafts) or the tabs (created conventions). In a draft, a step can be
 * opened once the steps it depends on are done: the service needs the host, the tutor the service.
 */
export function stepLinks(t: Translate, convention: ConventionDetails | null): StepLink[] {
  const done = new Set(convention?.completed_steps ?? []);
  const base = convention ? basePath(convention) : null;
  const reachable = (step: StepName): boolean => {
    if (!convention) return false;
    if (convention.number !== null) return true;
    switch (step) {
      case 'student':
        return true;
      case 'service':
        return convention.host_id !== null;
      case 'tutor':
        return convention.service_id !== null;
      default:
        return done.has('student');
    }
  };
  return STEPS.map((step) => ({
    step,
    label: t(`conventions.steps.${step}`),
    href: base && reachable(step) ? (step === 'summary' && convention?.number !== null ? base : `${base}/${step}`) : null,
    complete: done.has(step),
  }));
}

/** The step after `step` in the wizard. */
export function nextStep(step: StepName): StepName {
  return STEPS[Math.min(STEPS.indexOf(step) + 1, STEPS.length - 1)]!;
}

export function previousStep(step: StepName): StepName | null {
  const index = STEPS.indexOf(step);
  return index > 0 ? STEPS[index - 1]! : null;
}

const dateTimeFormat = localeDateTimeFormat({ dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
const decimalFormat = localeNumberFormat({ maximumFractionDigits: 2 });

/** Display helpers for the templates. */
export const display = {
  dateTime: (value: Date | string | null | undefined) => (value ? dateTimeFormat.format(new Date(value)) : ''),
  date: (value: string | null | undefined) => (value ? formatFrenchDate(value) : ''),
  hours: (minutes: number | null | undefined) => (minutes === null || minutes === undefined ? '' : localeHours(minutes)),
  euros: (cents: number | null | undefined) => (cents === null || cents === undefined ? '' : localeEuros(cents)),
  decimal: (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '' : decimalFormat.format(Number(value))),
  nir: displayNir,
  issue: issueMessage,
};

export interface PageFrame {
  convention: ConventionDetails | null;
  access: ConventionAccess | null;
  steps: StepLink[];
  currentStep: StepName;
  /** Drafts show the step indicator; created conventions the tabs. */
  mode: 'wizard' | 'tabs';
  base: string | null;
  editable: boolean;
  /** The workflow tabs of a created convention (Validation, Avenants, Historique), and which one is open. */
  workflowTabs: { page: WorkflowPage; label: string; href: string }[];
  currentPage: WorkflowPage | null;
}

export type WorkflowPage = 'validation' | 'amendments' | 'history';

export function frameOf(
  t: Translate,
  convention: ConventionDetails | null,
  access: ConventionAccess | null,
  currentStep: StepName,
  currentPage: WorkflowPage | null = null,
): PageFrame {
  const base = convention ? basePath(convention) : null;
  return {
    workflowTabs:
      convention && convention.number !== null
        ? (['validation', 'amendments', 'history'] as const).map((page) => ({ page, label: t(`conventions.workflow.tabs.${page}`), href: `${base}/${page}` }))
        : [],
    currentPage,
    convention,
    access,
    steps: stepLinks(t, convention),
    currentStep,
    mode: convention && convention.number !== null ? 'tabs' : 'wizard',
    base: convention ? basePath(convention) : null,
    editable: convention === null || access?.edit === true,
  };
}
