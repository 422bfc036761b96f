import type { DepositEntry, DepositReferences } from './deposit-repository.ts';

/** The choices of the deposit form's lists: active reference entries only, in their reference order. */
export interface SelectOption {
  value: string;
  label: string;
}

const optionsOf = (entries: Map<string, DepositEntry>, label: (entry: DepositEntry) => string = (entry) => entry.label): SelectOption[] =>
  [...entries.values()].filter((entry) => entry.active).map((entry) => ({ value: entry.code, label: label(entry) }));

export function depositChoices(references: DepositReferences, lang: string) {
  const monthName = new Intl.DateTimeFormat(lang, { month: 'long', timeZone: 'UTC' });
  return {
    countries: optionsOf(references.countries),
    civilities: optionsOf(references.civilities),
    offerTypes: optionsOf(references.offerTypes),
    // "CDI — Emploi": the type a contract belongs to, since only some types have contracts.
    contracts: optionsOf(references.offerContracts, (entry) => {
      const type = references.offerTypes.get(String(entry.attributes.offerType));
      return type ? `${entry.label} — ${type.label}` : entry.label;
    }),
    durationUnits: optionsOf(references.durationUnits),
    workingTime: optionsOf(references.workingTime),
    trainingLevels: optionsOf(references.trainingLevels),
    applicationModes: optionsOf(references.applicationModes),
    months: Array.from({ length: 12 }, (_, index) => ({ value: String(index + 1), label: monthName.format(new Date(Date.UTC(2000, index, 1))) })),
  };
}
