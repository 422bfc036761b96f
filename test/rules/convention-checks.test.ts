import { describe, expect, it } from 'vitest';
import { checkConvention, type ConventionFacts, type Issue } from '../../src/rules/convention-checks.ts';
import { issueMessage } from '../../src/conventions/shared/check-messages.ts';
import { legalParameters } from './legal-parameters.ts';

const nbsp = '\u00a0';
const codes = (issues: Issue[]) => issues.map((issue) => issue.code);
/** The issues as a French reader gets them: the rules give codes and values, the message is worded when shown. */
const described = (issues: Issue[]) => issues.map((issue) => ({ ...issue, message: issueMessage(issue) }));

/** The summer example: 1 July – 31 August 2026, Monday–Friday, 35 h a week = 301 h, entered by staff on 15 June. */
const summer: ConventionFacts = {
  startDate: '2026-07-01',
  endDate: '2026-08-31',
  daysPerWeek: 5,
  hoursPerWeek: 35,
  gratification: null,
  overlapsAllowed: true,
  role: 'staff',
  today: '2026-06-15',
};
/** 7 – 18 September 2026: two weeks, 10 working days, no holiday. */
const twoWeeks: ConventionFacts = { ...summer, startDate: '2026-09-07', endDate: '2026-09-18' };
/** 7 September – 30 October 2026: 8 weeks, 40 days, no holiday = 280 h at 35 h a week. */
const autumn: ConventionFacts = { ...summer, startDate: '2026-09-07', endDate: '2026-10-30' };
const perHour = (euros: number) => ({ amountCents: Math.round(euros * 100), per: 'hour' as const, basis: 'net' as const });

describe('legal parameters used by these examples', () => {
  it('are those of the seed file (2026)', () => {
    expect(legalParameters).toMatchObject({
      hoursPerDay: 7,
      daysPerMonth: 22,
      gratificationThresholdHours: 308,
      maxHoursPerHostPerAcademicYear: 924,
      legalWeeklyHours: 35,
      maxWeeklyHours: 48,
      maxDailyHours: 10,
      maxInternsPerTutor: 3,
      maxInternsPerAcademicSupervisor: 24,
    });
    expect(legalParameters.minimumHourlyGratification).toMatchObject({ '2025': 4.35, '2026': 4.5 });
  });
});

describe('convention checks', () => {
  it('finds nothing to say about the summer example, and gives its hours and minimum', () => {
    const result = checkConvention(summer, legalParameters);
    expect(result.blocking).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.presence?.totalMinutes).toBe(301 * 60);
    expect(result.obligation).toEqual({ mandatory: false, totalMinutes: 301 * 60, thresholdMinutes: 308 * 60 });
    expect(result.gratification).toMatchObject({ ok: true, reason: 'not-mandatory', requiredCents: 450 });
    expect(result.gratification?.minimum.totalCents).toBe(135450); // 301 h × 4.50 €
  });

  describe('dates', () => {
    it('blocks an end before the start and computes nothing', () => {
      const result = checkConvention({ ...summer, startDate: '2026-09-01', endDate: '2026-08-31' }, legalParameters);
      expect(described(result.blocking)).toEqual([
        {
          code: 'END_BEFORE_START',
          field: 'endDate',
          message: 'La date de fin (31/08/2026) est antérieure à la date de début (01/09/2026).',
          params: { startDate: '2026-09-01', endDate: '2026-08-31' },
        },
      ]);
      expect(result.presence).toBeNull();
      expect(result.gratification).toBeNull();
    });

    it('accepts a one-day internship (end = start)', () => {
      const result = checkConvention({ ...summer, endDate: '2026-07-01' }, legalParameters);
      expect(result.blocking).toEqual([]);
      expect(result.presence?.totalMinutes).toBe(7 * 60);
    });

    it('blocks dates that do not exist', () => {
      const result = checkConvention({ ...summer, startDate: '2026-02-30', endDate: '31/08/2026' }, legalParameters);
      expect(codes(result.blocking)).toEqual(['INVALID_START_DATE', 'INVALID_END_DATE']);
      expect(result.blocking.map((issue) => issue.field)).toEqual(['startDate', 'endDate']);
    });

    it('blocks an interruption outside the internship or ending before it starts', () => {
      const outside = checkConvention({ ...summer, interruptions: [{ start: '2026-08-24', end: '2026-09-04' }] }, legalParameters);
      expect(described(outside.blocking)).toEqual([
        {
          code: 'INVALID_INTERRUPTION',
          field: 'interruptions',
          message: 'L’interruption du 24/08/2026 au 04/09/2026 doit se situer pendant le stage.',
          params: { index: 0, start: '2026-08-24', end: '2026-09-04', reason: 'outside' },
        },
      ]);
      expect(outside.presence).toBeNull();
      const reversed = checkConvention({ ...summer, interruptions: [{ start: '2026-08-14', end: '2026-08-10' }] }, legalParameters);
      expect(reversed.blocking.map(issueMessage)).toEqual(['L’interruption n° 1 n’a pas des dates valides (début avant fin).']);
    });

    it('counts a valid interruption: 10–14 August 2026 → 266 h', () => {
      const result = checkConvention({ ...summer, interruptions: [{ start: '2026-08-10', end: '2026-08-14' }] }, legalParameters);
      expect(result.blocking).toEqual([]);
      expect(result.presence?.totalMinutes).toBe(266 * 60);
    });

    it('warns staff and blocks students when the start date has passed', () => {
      const staff = checkConvention({ ...summer, today: '2026-07-02' }, legalParameters);
      expect(staff.blocking).toEqual([]);
      expect(described(staff.warnings)).toEqual([
        {
          code: 'START_DATE_PASSED',
          field: 'startDate',
          message: 'La date de début du stage (01/07/2026) est déjà passée.',
          params: { startDate: '2026-07-01', today: '2026-07-02' },
        },
      ]);
      const student = checkConvention({ ...summer, role: 'student', today: '2026-07-02' }, legalParameters);
      expect(codes(student.blocking)).toEqual(['START_DATE_PASSED']);
      expect(student.warnings).toEqual([]);
      expect(checkConvention({ ...summer, role: 'student', today: '2026-07-01' }, legalParameters).blocking).toEqual([]);
    });
  });

  describe('weekly schedule', () => {
    it('accepts 35 h a week, warns from 35 h 30 (legal duration)', () => {
      expect(checkConvention({ ...twoWeeks, hoursPerWeek: 35 }, legalParameters).warnings).toEqual([]);
      expect(codes(checkConvention({ ...twoWeeks, hoursPerWeek: '35.5' }, legalParameters).warnings)).toEqual(['WEEKLY_HOURS_ABOVE_LEGAL_DURATION']);
    });

    it('accepts 48 h a week with a warning, blocks 49 h (maximum)', () => {
      const fortyEight = checkConvention({ ...twoWeeks, hoursPerWeek: 48 }, legalParameters);
      expect(fortyEight.blocking).toEqual([]);
      expect(described(fortyEight.warnings)).toEqual([
        {
          code: 'WEEKLY_HOURS_ABOVE_LEGAL_DURATION',
          field: 'hoursPerWeek',
          message: `La durée hebdomadaire de présence (48${nbsp}h) dépasse la durée légale de 35${nbsp}h : vérifiez qu’elle correspond à l’horaire des salariés de l’organisme.`,
          params: { weeklyMinutes: 2880, maxMinutes: 2880, legalMinutes: 2100 },
        },
      ]);
      expect(fortyEight.presence?.totalMinutes).toBe(96 * 60);
      const fortyNine = checkConvention({ ...twoWeeks, hoursPerWeek: 49 }, legalParameters);
      expect(described(fortyNine.blocking)).toEqual([
        {
          code: 'WEEKLY_HOURS_ABOVE_MAXIMUM',
          field: 'hoursPerWeek',
          message: `La durée hebdomadaire de présence (49${nbsp}h) dépasse le maximum autorisé de 48${nbsp}h.`,
          params: { weeklyMinutes: 2940, maxMinutes: 2880, legalMinutes: 2100 },
        },
      ]);
      expect(fortyNine.warnings).toEqual([]);
    });

    it('warns when the hours spread over the days exceed 10 h a day (42 h on 4 days), not at exactly 10 h', () => {
      const result = checkConvention({ ...twoWeeks, daysPerWeek: 4, hoursPerWeek: 42 }, legalParameters);
      expect(codes(result.warnings)).toEqual(['WEEKLY_HOURS_ABOVE_LEGAL_DURATION', 'DAILY_HOURS_ABOVE_MAXIMUM']);
      expect(issueMessage(result.warnings[1]!)).toBe(
        `Réparties sur 4 jours, 42${nbsp}h par semaine dépassent 10${nbsp}h par jour, la durée quotidienne maximale.`,
      );
      expect(codes(checkConvention({ ...twoWeeks, daysPerWeek: 4, hoursPerWeek: 40 }, legalParameters).warnings)).toEqual([
        'WEEKLY_HOURS_ABOVE_LEGAL_DURATION',
      ]);
      expect(codes(checkConvention({ ...twoWeeks, daysPerWeek: 3.5, hoursPerWeek: 35 }, legalParameters).warnings)).toEqual([]);
      expect(codes(checkConvention({ ...twoWeeks, daysPerWeek: 3.5, hoursPerWeek: '35.5' }, legalParameters).warnings)).toEqual([
        'WEEKLY_HOURS_ABOVE_LEGAL_DURATION',
        'DAILY_HOURS_ABOVE_MAXIMUM',
      ]);
    });

    it('blocks impossible schedules', () => {
      expect(codes(checkConvention({ ...twoWeeks, daysPerWeek: 7 }, legalParameters).blocking)).toEqual(['INVALID_DAYS_PER_WEEK']);
      expect(codes(checkConvention({ ...twoWeeks, hoursPerWeek: '35.333' }, legalParameters).blocking)).toEqual(['INVALID_HOURS_PER_WEEK']);
      expect(codes(checkConvention({ ...twoWeeks, hoursPerWeek: 0 }, legalParameters).blocking)).toEqual(['INVALID_HOURS_PER_WEEK']);
      expect(checkConvention({ ...twoWeeks, daysPerWeek: 7 }, legalParameters).presence).toBeNull();
    });

    it('takes half days: 4.5 days and 31.5 h over two weeks = 63 h', () => {
      const result = checkConvention({ ...twoWeeks, daysPerWeek: 4.5, hoursPerWeek: 31.5 }, legalParameters);
      expect(result.blocking).toEqual([]);
      expect(result.presence?.totalMinutes).toBe(63 * 60);
    });
  });

  describe('gratification (mandatory strictly beyond 308 h in the same host and academic year)', () => {
    // 7 September – 5 November 2026: 8 weeks + Monday 2 – Thursday 5 November = 44 days × 7 h = 308 h.
    const exactly308: ConventionFacts = { ...summer, startDate: '2026-09-07', endDate: '2026-11-05' };

    it('308 h without gratification: allowed', () => {
      const result = checkConvention(exactly308, legalParameters);
      expect(result.presence?.totalMinutes).toBe(308 * 60);
      expect(result.blocking).toEqual([]);
    });

    it('309 h (308 h + 1 h in another convention with the same host): gratification required', () => {
      const result = checkConvention({ ...exactly308, sameHostConventions: [{ reference: '2026-00003', minutes: 60 }] }, legalParameters);
      expect(described(result.blocking)).toEqual([
        {
          code: 'GRATIFICATION_MISSING',
          field: 'gratification',
          message: `La durée de présence dans cet organisme pour l’année universitaire, y compris les autres conventions de l’étudiant dans cet organisme (2026-00003), est de 309${nbsp}h : au-delà de 308${nbsp}h, une gratification est obligatoire, d’au moins 4,50${nbsp}€ par heure.`,
          params: {
            totalMinutes: 309 * 60,
            thresholdMinutes: 308 * 60,
            requiredCents: 450,
            period: 'hour',
            weeklyMinutes: 35 * 60,
            sameHostReferences: '2026-00003',
          },
        },
      ]);
      expect(
        checkConvention({ ...exactly308, sameHostConventions: [{ reference: '2026-00003', minutes: 60 }], gratification: perHour(4.5) }, legalParameters)
          .blocking,
      ).toEqual([]);
    });

    it('blocks an hourly amount below the minimum', () => {
      const result = checkConvention({ ...exactly308, endDate: '2026-11-06', gratification: perHour(4) }, legalParameters);
      expect(described(result.blocking)).toEqual([
        {
          code: 'GRATIFICATION_BELOW_MINIMUM',
          field: 'gratification',
          message: `La gratification prévue (4,00${nbsp}€ par heure) est inférieure au minimum légal de 4,50${nbsp}€ par heure.`,
          params: {
            totalMinutes: 315 * 60,
            thresholdMinutes: 308 * 60,
            requiredCents: 450,
            period: 'hour',
            weeklyMinutes: 35 * 60,
            offeredCents: 400,
            offeredPer: 'hour',
            yearsBelow: '2026',
          },
        },
      ]);
    });

    it('blocks a monthly amount below the monthly equivalent (4.50 € × 35 h × 52 / 12 = 682.50 €)', () => {
      const monthly = (cents: number) => ({
        ...exactly308,
        endDate: '2026-11-06',
        gratification: { amountCents: cents, per: 'month' as const, basis: 'gross' as const },
      });
      expect(checkConvention(monthly(68250), legalParameters).blocking).toEqual([]);
      const below = checkConvention(monthly(60000), legalParameters);
      expect(below.blocking.map(issueMessage)).toEqual([
        `La gratification prévue (600,00${nbsp}€ par mois pour 35${nbsp}h par semaine) est inférieure au minimum légal de 682,50${nbsp}€ par mois pour 35${nbsp}h par semaine.`,
      ]);
    });

    it('crossing 1 January: 4.35 € an hour met the 2025 minimum but not the 2026 one', () => {
      // 3 November 2025 – 27 February 2026: 287 h in 2025 + 287 h in 2026 = 574 h.
      const crossing: ConventionFacts = { ...summer, startDate: '2025-11-03', endDate: '2026-02-27', today: '2025-10-01' };
      const below = checkConvention({ ...crossing, gratification: perHour(4.35) }, legalParameters);
      expect(codes(below.blocking)).toEqual(['GRATIFICATION_BELOW_MINIMUM']);
      expect(below.blocking[0]?.params.yearsBelow).toBe('2026');
      const ok = checkConvention({ ...crossing, gratification: perHour(4.5) }, legalParameters);
      expect(ok.blocking).toEqual([]);
      expect(ok.gratification?.minimum.byYear.map((year) => year.cents)).toEqual([124845, 129150]);
      expect(ok.gratification?.minimum.totalCents).toBe(253995);
    });

    it('warns that the rate is provisional for a year not yet in the table', () => {
      // 4 January – 26 March 2027: 12 weeks = 60 days (Easter Monday is 29 March) = 420 h.
      const result = checkConvention(
        { ...summer, startDate: '2027-01-04', endDate: '2027-03-26', gratification: perHour(4.5), today: '2026-12-01' },
        legalParameters,
      );
      expect(result.presence?.totalMinutes).toBe(420 * 60);
      expect(result.blocking).toEqual([]);
      expect(result.warnings.map((issue) => [issue.code, issueMessage(issue)])).toEqual([
        ['GRATIFICATION_RATE_PROVISIONAL', 'Le montant horaire minimal de 2027 n’est pas encore enregistré : celui de l’année précédente connue est appliqué.'],
      ]);
    });
  });

  describe('924-hour cap per host and academic year', () => {
    it('allows exactly 924 h over two conventions with the same host (644 h + 280 h)', () => {
      const result = checkConvention(
        { ...autumn, gratification: perHour(4.5), sameHostConventions: [{ reference: '2026-00012', minutes: 644 * 60 }] },
        legalParameters,
      );
      expect(result.presence?.totalMinutes).toBe(280 * 60);
      expect(result.obligation?.totalMinutes).toBe(924 * 60);
      expect(result.blocking).toEqual([]);
    });

    it('blocks 931 h over two conventions with the same host (651 h + 280 h)', () => {
      const result = checkConvention(
        { ...autumn, gratification: perHour(4.5), sameHostConventions: [{ reference: '2026-00012', minutes: 651 * 60 }] },
        legalParameters,
      );
      expect(described(result.blocking)).toEqual([
        {
          code: 'HOST_HOURS_ABOVE_MAXIMUM',
          field: 'totalHours',
          message: `La durée de présence dans cet organisme pour l’année universitaire, y compris les autres conventions de l’étudiant dans cet organisme (2026-00012), est de 931${nbsp}h : elle ne peut pas dépasser 924${nbsp}h.`,
          params: { totalMinutes: 931 * 60, conventionMinutes: 280 * 60, maxMinutes: 924 * 60, sameHostReferences: '2026-00012' },
        },
      ]);
    });

    it('blocks a single convention of 1,036 h (1 September 2026 – 31 March 2027 at 35 h)', () => {
      // 2026: Sept 22 + Oct 22 + Nov 21 − 11 Nov + Dec 23 − 25 Dec = 86 days;
      // 2027: Jan 21 − 1 Jan + Feb 20 + Mar 23 − Easter Monday 29 Mar = 62 days; 148 days × 7 h = 1,036 h.
      const result = checkConvention({ ...summer, startDate: '2026-09-01', endDate: '2027-03-31', gratification: perHour(4.5) }, legalParameters);
      expect(codes(result.blocking)).toEqual(['HOST_HOURS_ABOVE_MAXIMUM']);
      expect(result.obligation?.totalMinutes).toBe(1036 * 60);
      expect(issueMessage(result.blocking[0]!)).toBe(
        `La durée de présence dans cet organisme pour l’année universitaire est de 1${nbsp}036${nbsp}h : elle ne peut pas dépasser 924${nbsp}h.`,
      );
    });
  });

  describe('other conventions and supervision', () => {
    const other = { reference: '2026-00007', startDate: '2026-08-31', endDate: '2026-09-30' };

    it('warns about an overlap (sharing 31 August) when the centre allows it, blocks otherwise', () => {
      const allowed = checkConvention({ ...summer, otherConventions: [other] }, legalParameters);
      expect(allowed.blocking).toEqual([]);
      expect(described(allowed.warnings)).toEqual([
        {
          code: 'OVERLAPPING_CONVENTION',
          field: 'startDate',
          message: 'Les dates du stage chevauchent celles d’une autre convention de l’étudiant (2026-00007).',
          params: { references: '2026-00007', centre: 'allows' },
        },
      ]);
      const forbidden = checkConvention({ ...summer, overlapsAllowed: false, otherConventions: [other] }, legalParameters);
      expect(forbidden.warnings).toEqual([]);
      expect(forbidden.blocking.map(issueMessage)).toEqual([
        'Les dates du stage chevauchent celles d’une autre convention de l’étudiant (2026-00007) : le centre de gestion n’autorise pas les stages simultanés.',
      ]);
      const after = checkConvention({ ...summer, overlapsAllowed: false, otherConventions: [{ ...other, startDate: '2026-09-01' }] }, legalParameters);
      expect(after.blocking).toEqual([]);
    });

    it('warns when the tutor already has 3 current interns, not 2', () => {
      expect(checkConvention({ ...summer, tutorInternCount: 2 }, legalParameters).warnings).toEqual([]);
      expect(checkConvention({ ...summer, tutorInternCount: null }, legalParameters).warnings).toEqual([]);
      expect(described(checkConvention({ ...summer, tutorInternCount: 3 }, legalParameters).warnings)).toEqual([
        {
          code: 'TUTOR_INTERN_LIMIT',
          field: 'tutor',
          message: 'Ce tuteur encadre déjà 3 stagiaire(s) en cours ; un tuteur ne peut pas encadrer plus de 3 stagiaires en même temps.',
          params: { count: 3, max: 3 },
        },
      ]);
    });

    it('warns when the academic supervisor reaches the cap, legal or set lower by the institution', () => {
      expect(checkConvention({ ...summer, supervisorInternCount: 23 }, legalParameters).warnings).toEqual([]);
      expect(codes(checkConvention({ ...summer, supervisorInternCount: 24 }, legalParameters).warnings)).toEqual(['SUPERVISOR_INTERN_LIMIT']);
      const lowerCap = { ...legalParameters, maxInternsPerAcademicSupervisor: 10 };
      const result = checkConvention({ ...summer, supervisorInternCount: 10 }, lowerCap);
      expect(result.warnings.map((issue) => [issue.field, issueMessage(issue)])).toEqual([
        ['academicSupervisor', 'Cet enseignant référent suit déjà 10 stagiaire(s) ; le plafond est de 10.'],
      ]);
    });
  });

  it('follows the parameters it is given, not built-in values', () => {
    const stricter = { ...legalParameters, maxWeeklyHours: 40, legalWeeklyHours: 30, gratificationThresholdHours: 300 };
    const result = checkConvention({ ...summer, hoursPerWeek: 35 }, stricter);
    expect(codes(result.warnings)).toEqual(['WEEKLY_HOURS_ABOVE_LEGAL_DURATION']);
    expect(codes(result.blocking)).toEqual(['GRATIFICATION_MISSING']); // 301 h > 300 h
    expect(codes(checkConvention({ ...summer, hoursPerWeek: 41 }, stricter).blocking)).toContain('WEEKLY_HOURS_ABOVE_MAXIMUM');
  });
});
