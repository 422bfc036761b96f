import type { MessageCatalogue } from '../catalogue.ts';

export const privacy: MessageCatalogue['privacy'] = {
  footer: {
    privacy: 'Personal data',
    accessibility: 'Accessibility',
    myData: 'Download my data',
  },
  pages: {
    privacyTitle: 'Personal data',
    accessibilityTitle: 'Accessibility',
    downloadTitle: 'Your data',
    downloadText:
      'You can download at any time, in a JSON file, all the data Conventio holds about you: your directory record, your enrolments, your conventions with their amendments and history, your preferences and the log of the operations that concern you.',
    downloadLink: 'Download my data (JSON)',
  },
  settings: {
    title: 'Institution settings',
    adminLink: 'Institution settings',
    adminText: 'Retention period and anonymisation, social security number, texts of the “Personal data” and “Accessibility” pages.',
    intro: 'These settings apply to all management centres.',
    retentionLegend: 'Data retention',
    retentionYears: 'Retention period after the end of the internship (in years)',
    retentionHint: 'Beyond it, the students’ personal data are anonymised; the statistics remain exact. Between {min} and {max} years.',
    nirLegend: 'Social security number',
    collectNir: 'Ask students for their social security number',
    collectNirHint:
      'Off by default: collecting the NIR is regulated (decree no. 2019-341). When on, the number is optional, its key is checked, and it appears only masked in lists and exports.',
    textsLegend: 'Texts of the public pages',
    textsHint:
      'An empty line separates two paragraphs; “## ” at the start of a line makes a heading, “- ” a list item. An emptied field goes back to the default text.',
    privacyNotice: '“Personal data” page',
    accessibilityStatement: '“Accessibility” page',
    saved: 'The institution settings are saved.',
    errors: {
      version: 'The form is incomplete: reload the page.',
    },
  },
  anonymisation: {
    title: 'Anonymise old data',
    sectionTitle: 'Anonymisation',
    cutoff: 'Internships ended before {date} (retention period: {years} years)',
    pendingConventions: 'Conventions to anonymise',
    pendingStudents: 'Records of departed students to anonymise',
    nothingPending: 'No data has passed the retention period.',
    explanation:
      'Anonymisation replaces, in these conventions, the student’s identity and contact details, their social security number and the texts written about them (reasons for refusals and amendments). The host organisation, the dates, the duration, the gratification, the faculty and the study step are kept: the statistics do not change. It is permanent.',
    command: 'To schedule it every night: npm run anonymise (or npm run anonymise -- --dry-run to only count).',
    start: 'Anonymise…',
    confirm: 'I confirm the permanent anonymisation of these data',
    submit: 'Anonymise now',
    back: 'Back to the settings',
    done: 'Anonymisation finished: {conventions} convention(s) and {students} student record(s) anonymised.',
    errors: {
      confirm: 'Tick the box to confirm the anonymisation.',
    },
  },
  anonymised: {
    lastName: 'Anonymised',
    firstName: 'Student',
    text: 'Anonymised data',
    notice: 'The student’s personal data were anonymised on {date}, at the end of their retention period.',
  },
  nir: {
    label: 'Social security number',
    hint: 'Optional. 15 characters, key included, as on the Carte Vitale (example: 1 85 05 78 006 084 36).',
    errors: {
      format: 'Invalid social security number: 13 characters and a 2-digit key (2A or 2B for Corsica).',
      key: 'The key of the social security number does not match: check the number.',
    },
  },
  command: {
    usage: 'Usage: npm run anonymise [-- --dry-run]',
    dryRun: 'Simulation (nothing is changed) — internships ended before {cutoff}: {conventions} convention(s) and {students} student record(s) to anonymise.',
    batch: '{count} {kind} anonymised.',
    kinds: {
      conventions: 'convention(s)',
      students: 'student record(s)',
    },
    done: 'Internships ended before {cutoff}: {conventions} convention(s) and {students} student record(s) anonymised.',
  },
  defaults: {
    privacyNotice: `## Data controller
The university processes, in Conventio, the personal data needed to manage internship agreements (conventions de stage): preparation, signature, follow-up, amendments, internship certificates and statistics on graduate employment.

## Legal basis
The processing is part of the university’s public-interest mission (article 6-1-e of the GDPR) and of the obligations of articles L124-1 et seq. and D124-1 et seq. of the French Education Code (code de l’éducation).

## Data processed
- identity, student number, enrolment (faculty, study step, academic year);
- contact details entered in the convention, social security affiliation;
- the social security number, only if the institution has chosen to ask for it;
- internship: host organisation, tutor, dates, duration, gratification, activities;
- log of the operations done in the application.

## Recipients
The staff of the management centres of your faculty, your academic supervisor and, for the convention itself, the host organisation.

## Retention period
Personal data are kept for the period set by the institution after the end of the internship, then anonymised: only statistical data remain.

## Your rights
You have a right of access, rectification, restriction and objection. You can download your data from this page once signed in. To exercise your other rights, contact the university’s data protection officer. You can also lodge a complaint with the CNIL (the French data protection authority).`,
    accessibilityStatement: `## Compliance status
The university undertakes to make its online services accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005. Conventio is partially compliant with the French accessibility framework (RGAA), version 4.1, because of the non-compliances and exemptions listed below.

## Non-accessible content
- the generated PDF documents (conventions, amendments, certificates) are not tagged;
- the statistics charts have an equivalent in the form of a table, but no detailed description.

## Preparation of this statement
This statement was prepared from automated tests (axe-core) and manual checks of the main pages.

## Feedback and contact
If you cannot access a content or a service, contact the internship office of your faculty to be directed to an accessible alternative or to obtain the content in another form.

## Remedies
If you notice an accessibility defect preventing you from accessing a content and you have not received a satisfactory answer, you can write to the Défenseur des droits (the French rights ombudsman) or contact their delegate in your region.`,
  },
};
