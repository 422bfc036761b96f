import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { formatFrenchDate } from '../rules/calendar.ts';
import { formatEuros, formatHours } from '../rules/units.ts';
import type { AmendmentDocumentData, ContactForPrint, DocumentData } from './service.ts';
import { totalGratificationCents } from './service.ts';
import { documentTexts, fill, type ConventionTexts, type DocumentLanguage } from './texts.ts';

/**
 * Drawing of the documents with PDFKit and the embedded DejaVu TrueType fonts (every character prints).
 * Texts come from documents/texts (texts.ts); values from DocumentData. A missing optional value is
 * never printed: its line is left out. Footer of every page: the copy's recipient, page n / N, print date.
 */
const require = createRequire(import.meta.url);
const fontDirectory = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf').replace(/DejaVuSans\.ttf$/, '');
const FONTS = { regular: readFileSync(`${fontDirectory}DejaVuSans.ttf`), bold: readFileSync(`${fontDirectory}DejaVuSans-Bold.ttf`) };

const MARGIN = 50;
const FOOTER_SPACE = 40;
const GREY = '#555555';
const BLACK = '#000000';

type Doc = InstanceType<typeof PDFDocument>;
type Value = string | number | null | undefined | false;

const present = (value: Value): value is string | number => value !== null && value !== undefined && value !== false && String(value).trim() !== '';
const date = (value: string | null) => (value ? formatFrenchDate(value) : null);
const nameOf = (person: { first_name: string | null; last_name: string | null } | null) =>
  person ? [person.first_name, person.last_name].filter((part) => present(part)).join(' ') || null : null;
const contactLine = (person: ContactForPrint | null) =>
  person ? [person.civility, nameOf(person), person.function ? `(${person.function})` : null].filter(present).join(' ') : null;
const joinedValues = (...parts: Value[]) => parts.filter(present).map(String).join(' – ') || null;

function newDocument(title: string): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
    bufferPages: true,
    autoFirstPage: false,
    info: { Title: title, Creator: 'Conventio' },
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  doc.font('regular');
  return doc;
}

function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Writes "label n / N" and the print date at the bottom of pages [first, last). */
function footers(doc: Doc, first: number, last: number, left: string, page: (n: number, total: number) => string, printed: string): void {
  const total = last - first;
  for (let index = first; index < last; index += 1) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - 10;
    const width = doc.page.width - 2 * MARGIN;
    doc.font('regular').fontSize(7.5).fillColor(GREY);
    doc.text(`${left}${left ? ' — ' : ''}${page(index - first + 1, total)} — ${printed}`, MARGIN, y, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor(BLACK);
}

/** Labels of one language, printed "foreign / French" when the language is not French. */
class Labels {
  readonly foreign: ConventionTexts | null;
  constructor(
    readonly texts: ConventionTexts,
    readonly french: ConventionTexts,
  ) {
    this.foreign = texts.language === 'fr' ? null : texts;
  }
  one(texts: ConventionTexts, key: string, values: Record<string, string | number> = {}): string {
    return fill(texts.labels[key] ?? key, values);
  }
  /** "Foreign / Français" or the French alone. */
  get(key: string, values: Record<string, string | number> = {}): string {
    const french = this.one(this.french, key, values);
    const foreign = this.foreign ? this.one(this.foreign, key, values) : french;
    return foreign === french ? french : `${foreign} / ${french}`;
  }
}

class Writer {
  constructor(
    readonly doc: Doc,
    readonly labels: Labels,
  ) {}

  get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  heading(text: string): void {
    const doc = this.doc;
    if (doc.y > doc.page.height - doc.page.margins.bottom - 60) doc.addPage();
    doc.moveDown(0.6).font('bold').fontSize(11).fillColor(BLACK).text(text, MARGIN, doc.y, { width: this.width });
    const y = doc.y + 1;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + this.width, y)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
    doc.moveDown(0.3);
  }

  /** "Label : value", left out when the value is missing. */
  field(key: string, value: Value, values: Record<string, string | number> = {}): void {
    if (!present(value)) return;
    this.doc
      .font('bold')
      .fontSize(9)
      .fillColor(BLACK)
      .text(`${this.labels.get(key, values)} : `, MARGIN, this.doc.y, { width: this.width, continued: true })
      .font('regular')
      .text(String(value));
  }

  paragraph(text: string, options: { grey?: boolean; size?: number } = {}): void {
    this.doc
      .font('regular')
      .fontSize(options.size ?? 9)
      .fillColor(options.grey ? GREY : BLACK)
      .text(text, MARGIN, this.doc.y, { width: this.width, align: 'justify' });
    this.doc.fillColor(BLACK);
  }
}

const yesNo = (labels: Labels, value: boolean) => labels.get(value ? 'yes' : 'no');

export interface RenderOptions {
  language: DocumentLanguage;
  printedOn: string;
  /** Only for measurements: copies to print instead of the centre's number. */
  copies?: number;
}

const COPY_KEYS = ['copyHost', 'copyStudent', 'copyInstitution'] as const;

/** The convention, in the centre's number of copies, each marked for its recipient. */
export async function renderConvention(data: DocumentData, options: RenderOptions): Promise<Buffer> {
  const texts = documentTexts().convention;
  const labels = new Labels(texts[options.language], texts.fr);
  const { convention: c } = data;
  const doc = newDocument(`${texts.fr.labels.title} ${c.number ?? ''}`.trim());
  const logo = data.centre.logo ? safeImage(doc, data.centre.logo) : null;
  const copies = Math.max(1, options.copies ?? data.centre.copies ?? 3);
  const printed = labels.get('printedOn', { date: formatFrenchDate(options.printedOn) });
  for (let copy = 0; copy < copies; copy += 1) {
    // Drawing a copy keeps the process busy for a while: other requests get their turn between copies.
    if (copy > 0) await new Promise((resolve) => setImmediate(resolve));
    const first = doc.bufferedPageRange().count;
    const mark = `${labels.get('copyFor')} ${labels.get(COPY_KEYS[copy % COPY_KEYS.length]!)}`;
    doc.addPage();
    drawConvention(new Writer(doc, labels), data, logo, mark);
    footers(doc, first, doc.bufferedPageRange().count, mark, (n, total) => labels.get('page', { n, total }), printed);
  }
  return toBuffer(doc);
}

/** An image opened once and drawn on every copy (PDFKit embeds it once). */
type Image = object;
type ImageOpener = { openImage(src: Buffer): Image };

function safeImage(doc: Doc, bytes: Buffer): Image | null {
  try {
    return (doc as unknown as ImageOpener).openImage(bytes);
  } catch {
    return null;
  }
}

function header(w: Writer, data: DocumentData, logo: Image | null, title: string, subtitle: string | null): void {
  const doc = w.doc;
  const top = doc.y;
  let textLeft = MARGIN;
  if (logo) {
    doc.image(logo as unknown as Buffer, MARGIN, top, { fit: [90, 50] });
    textLeft = MARGIN + 100;
  }
  doc
    .font('bold')
    .fontSize(10)
    .fillColor(BLACK)
    .text(data.centre.name, textLeft, top, { width: w.width - (textLeft - MARGIN) });
  doc.y = Math.max(doc.y, logo ? top + 55 : doc.y) + 6;
  doc.font('bold').fontSize(15).text(title, MARGIN, doc.y, { width: w.width, align: 'center' });
  if (subtitle)
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(GREY)
      .text(subtitle, MARGIN, doc.y + 2, { width: w.width, align: 'center' });
  doc.fillColor(BLACK);
}

function bilingual(w: Writer, pick: (texts: ConventionTexts) => string): void {
  if (w.labels.foreign) {
    w.paragraph(pick(w.labels.foreign));
    w.paragraph(pick(w.labels.french), { grey: true });
  } else w.paragraph(pick(w.labels.french));
}

function drawConvention(w: Writer, data: DocumentData, logo: Image | null, mark: string): void {
  const { doc, labels } = w;
  const { convention: c, centre, host, presence } = data;
  const studentName = `${c.student_first_name} ${c.student_last_name}`;
  const titleFor = (texts: ConventionTexts) => texts.labels.title!;
  header(w, data, logo, labels.foreign ? `${titleFor(labels.foreign)} / ${titleFor(labels.french)}` : titleFor(labels.french), labels.get('subtitle'));
  doc
    .moveDown(0.4)
    .font('bold')
    .fontSize(10)
    .text(`${labels.get('number', { number: c.number ?? '' })} — ${labels.get('academicYear')} ${c.academic_year}`, MARGIN, doc.y, {
      width: w.width,
      align: 'center',
    });
  doc
    .font('bold')
    .fontSize(9)
    .fillColor(GREY)
    .text(mark, MARGIN, doc.y + 2, { width: w.width, align: 'center' })
    .fillColor(BLACK);

  w.heading(labels.get('institution'));
  w.paragraph(centre.name);
  w.field('address', joinedValues(centre.address, [centre.postal_code, centre.town].filter(present).join(' ')));
  w.field('phone', centre.phone);
  w.field('email', centre.email);
  w.field('representedBy', joinedValues(centre.signing_officer_name, centre.signing_officer_title));

  w.heading(labels.get('host'));
  if (host) {
    w.paragraph(host.name);
    w.field('siret', host.siret);
    w.field('naf', host.naf);
    w.field('address', joinedValues(host.address, host.country));
    w.field('phone', host.phone);
    w.field('email', host.email);
  }
  w.field('service', joinedValues(data.service?.name, data.service?.address));
  w.field('representedBy', contactLine(data.signatory));

  w.heading(labels.get('student'));
  w.field('name', studentName);
  w.field('studentNumber', c.student_number);
  w.field('birthDate', date(c.student_birth_date));
  w.field('address', joinedValues(c.student_address, [c.student_postal_code, c.student_town].filter(present).join(' ')));
  w.field('phone', joinedValues(c.student_phone, c.student_mobile_phone));
  w.field('email', joinedValues(c.student_email, c.student_personal_email));

  w.heading(labels.get('programme'));
  w.field('step', c.step_label);
  w.field('faculty', c.faculty_label);
  w.field('teachingVolume', labels.get('teachingVolumeValue'));

  w.heading(labels.get('internship'));
  w.field('conventionType', data.label('conventionTypes', c.convention_type));
  w.field('internshipKind', data.label('internshipKinds', c.internship_kind));
  w.field('internshipCountry', c.internship_country && c.internship_country !== 'FR' ? data.label('countries', c.internship_country) : null);
  w.field('subject', c.subject);
  if (c.subject_confidential) w.field('confidentialSubject', labels.get('yes'));
  w.field('activities', c.activities);
  w.field('skills', c.skills);

  w.heading(labels.get('presence'));
  if (c.start_date && c.end_date) w.field('period', labels.get('dates', { start: formatFrenchDate(c.start_date), end: formatFrenchDate(c.end_date) }));
  for (const interruption of c.interruptions)
    w.field('interruptions', labels.get('dates', { start: formatFrenchDate(interruption.start), end: formatFrenchDate(interruption.end) }));
  if (presence) {
    w.field('totalHours', formatHours(presence.totalMinutes));
    const b = presence.breakdown;
    w.field('breakdown', labels.get('breakdownValue', { months: b.months, days: b.days, hours: b.hours, minutes: String(b.minutes).padStart(2, '0') }));
  }
  w.field('daysPerWeek', c.days_per_week === null ? null : String(Number(c.days_per_week)).replace('.', ','));
  w.field('hoursPerWeek', c.hours_per_week === null ? null : formatHours(Math.round(Number(c.hours_per_week) * 60)));
  w.field('workingTime', data.label('workingTime', c.working_time));
  w.field('irregularSchedule', yesNo(labels, c.irregular_schedule));
  w.field('nightPresence', yesNo(labels, c.night_presence));
  w.field('sundayPresence', yesNo(labels, c.sunday_presence));
  w.field('holidayPresence', yesNo(labels, c.holiday_presence));
  w.field('leave', c.leave_terms);

  w.heading(labels.get('supervision'));
  w.field('tutor', joinedValues(contactLine(data.tutor), data.tutor?.phone, data.tutor?.email));
  w.field('supervisor', joinedValues(nameOf({ first_name: c.supervisor_first_name, last_name: c.supervisor_last_name }), c.supervisor_department));
  w.field('supervisionTerms', c.supervision_terms);

  w.heading(labels.get('gratification'));
  const amount = gratificationLine(labels, data);
  if (amount) w.field('gratificationAmount', amount);
  else w.paragraph(labels.get('noGratification'));
  w.field('paymentMode', data.label('gratificationPaymentModes', c.gratification ? c.gratification_payment_mode : null));
  w.field('benefits', c.benefits);

  w.heading(labels.get('socialProtection'));
  w.field('affiliation', data.label('socialSecurityAffiliations', c.social_security_affiliation));
  w.field('healthScheme', data.label('healthInsuranceSchemes', c.health_insurance_scheme));
  w.field('cpam', c.cpam_office);

  w.heading(labels.get('articles'));
  const names = { host: host?.name ?? '', institution: centre.name, student: studentName };
  labels.french.articles.forEach((article, index) => {
    const n = index + 1;
    const foreign = labels.foreign?.articles[index];
    const title = foreign
      ? `${labels.one(labels.foreign!, 'article', { n })} — ${foreign.title} / ${article.title}`
      : `${labels.one(labels.french, 'article', { n })} — ${article.title}`;
    if (doc.y > doc.page.height - doc.page.margins.bottom - 50) doc.addPage();
    doc.moveDown(0.3).font('bold').fontSize(9.5).text(title, MARGIN, doc.y, { width: w.width });
    bilingual(w, (texts) => fill(texts.articles[index]!.body, names));
  });

  w.heading(labels.get('mentionsTitle'));
  // Every D124-4 row of legal_mention is printed: in the texts' words when they have it, else as stored.
  const values = mentionRows(labels, data);
  const count = Math.max(labels.french.mentions.length, data.mentions.length);
  for (let index = 0; index < count; index += 1) {
    const fr = labels.french.mentions[index] ?? data.mentions[index]!;
    const foreign = labels.foreign?.mentions[index];
    const mention = foreign ? `${foreign} / ${fr}` : fr;
    const value = values[index];
    const shown = value !== undefined && value !== '';
    doc
      .font('bold')
      .fontSize(8.5)
      .fillColor(BLACK)
      .text(`${index + 1}. ${mention}${shown ? ' : ' : ''}`, MARGIN, doc.y, { width: w.width, continued: shown });
    if (shown) doc.font('regular').text(value);
  }

  signatures(w, data);
}

function gratificationLine(labels: Labels, data: DocumentData): string | null {
  const c = data.convention;
  if (!c.gratification || c.gratification_amount_cents === null) return null;
  const basis = data.label('gratificationUnits', c.gratification_basis);
  const per = c.gratification_per === 'month' ? labels.get('perMonth') : c.gratification_per === 'hour' ? labels.get('perHour') : null;
  const currency = c.gratification_currency && c.gratification_currency !== 'EUR' ? c.gratification_currency : null;
  return [currency ? `${(c.gratification_amount_cents / 100).toFixed(2)} ${currency}` : formatEuros(c.gratification_amount_cents), basis, per]
    .filter(present)
    .join(' ');
}

/** The value of each D124-4 mention (position 0 to 14), never empty: a reference to the article that settles it. */
function mentionRows(labels: Labels, data: DocumentData): string[] {
  const c = data.convention;
  const see = (n: number) => labels.get('seeArticle', { n });
  const or = (value: Value, fallback: string) => (present(value) ? String(value) : fallback);
  const none = labels.get('none');
  const hours = data.presence ? formatHours(data.presence.totalMinutes) : null;
  const period = c.start_date && c.end_date ? labels.get('dates', { start: formatFrenchDate(c.start_date), end: formatFrenchDate(c.end_date) }) : null;
  const supervisor = nameOf({ first_name: c.supervisor_first_name, last_name: c.supervisor_last_name });
  return [
    `${c.step_label} (${c.faculty_label}) – ${labels.get('teachingVolumeValue')}`,
    `${labels.get('supervisor')} : ${or(supervisor, none)} ; ${labels.get('tutor')} : ${or(nameOf(data.tutor), none)}`,
    or(c.skills, none),
    or(c.activities, none),
    or(joinedValues(period, hours), see(3)),
    [
      c.hours_per_week === null ? null : formatHours(Math.round(Number(c.hours_per_week) * 60)),
      `${labels.get('nightPresence')} : ${yesNo(labels, c.night_presence)}`,
      `${labels.get('sundayPresence')} : ${yesNo(labels, c.sunday_presence)}`,
      `${labels.get('holidayPresence')} : ${yesNo(labels, c.holiday_presence)}`,
    ]
      .filter(present)
      .join(' ; '),
    or(c.supervision_terms, see(4)),
    or(gratificationLine(labels, data), labels.get('noGratification')),
    `${see(6)} ; ${see(7)}`,
    or(c.leave_terms, see(9)),
    see(9),
    see(9),
    present(c.benefits) ? `${c.benefits} ; ${see(5)}` : see(5),
    see(8),
    see(12),
  ];
}

function signatures(w: Writer, data: DocumentData, partiesOnly = false): void {
  const { doc, labels } = w;
  const c = data.convention;
  if (doc.y > doc.page.height - doc.page.margins.bottom - (partiesOnly ? 170 : 260)) doc.addPage();
  w.heading(labels.get('signatures'));
  w.paragraph(labels.get('signedAt'));
  doc.moveDown(0.5);
  const parties: [string, string | null][] = [
    ['signatureInstitution', joinedValues(data.centre.signing_officer_name, data.centre.signing_officer_title)],
    ['signatureHost', contactLine(data.signatory)],
    ['signatureStudent', `${c.student_first_name} ${c.student_last_name}`],
  ];
  const blocks: [string, string | null][] = partiesOnly
    ? parties
    : [
        ...parties,
        ['signatureSupervisor', nameOf({ first_name: c.supervisor_first_name, last_name: c.supervisor_last_name })],
        ['signatureTutor', contactLine(data.tutor)],
      ];
  const columnWidth = (w.width - 20) / 2;
  let top = doc.y;
  blocks.forEach(([key, who], index) => {
    const column = index % 2;
    if (column === 0 && index > 0) top += 95;
    if (column === 0 && top > doc.page.height - doc.page.margins.bottom - 90) {
      doc.addPage();
      top = doc.y;
    }
    const x = MARGIN + column * (columnWidth + 20);
    doc.rect(x, top, columnWidth, 85).lineWidth(0.5).strokeColor('#999999').stroke();
    doc
      .font('bold')
      .fontSize(8.5)
      .fillColor(BLACK)
      .text(labels.get(key), x + 5, top + 5, { width: columnWidth - 10 });
    if (who)
      doc
        .font('regular')
        .fontSize(8.5)
        .text(who, x + 5, doc.y, { width: columnWidth - 10 });
    doc
      .font('regular')
      .fontSize(7.5)
      .fillColor(GREY)
      .text(labels.get('signature'), x + 5, top + 70, { width: columnWidth - 10 })
      .fillColor(BLACK);
  });
  doc.x = MARGIN;
  doc.y = top + 95;
}

/** The date (Paris) of a timestamp, as dd/mm/yyyy. */
const frenchDay = (value: Date) => value.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });

/**
 * An amendment (French only), in the centre's number of copies each marked for its recipient: the parties,
 * its kind and reason, the termination or each change (previous and new value), the signature blocks of
 * the three parties, page n / N and the print date.
 */
export async function renderAmendment(data: AmendmentDocumentData, options: { printedOn: string; copies?: number }): Promise<Buffer> {
  const all = documentTexts();
  const labels = new Labels(all.convention.fr, all.convention.fr);
  const texts = all.amendment;
  const { convention: c, amendment: a } = data;
  const title = fill(texts.title, { amendment: a.number });
  const doc = newDocument(`${title} n° ${c.number ?? ''}`.trim());
  const logo = data.centre.logo ? safeImage(doc, data.centre.logo) : null;
  const copies = Math.max(1, options.copies ?? data.centre.copies ?? 3);
  const printed = labels.get('printedOn', { date: formatFrenchDate(options.printedOn) });
  const or = (value: string) => (present(value) ? value : texts.empty);
  for (let copy = 0; copy < copies; copy += 1) {
    // Drawing a copy keeps the process busy for a while: other requests get their turn between copies.
    if (copy > 0) await new Promise((resolve) => setImmediate(resolve));
    const first = doc.bufferedPageRange().count;
    const mark = `${labels.get('copyFor')} ${labels.get(COPY_KEYS[copy % COPY_KEYS.length]!)}`;
    doc.addPage();
    const w = new Writer(doc, labels);
    header(w, data, logo, title, fill(texts.subtitle, { number: c.number ?? '' }));
    doc
      .moveDown(0.4)
      .font('bold')
      .fontSize(10)
      .text(`${labels.get('number', { number: c.number ?? '' })} — ${labels.get('academicYear')} ${c.academic_year}`, MARGIN, doc.y, {
        width: w.width,
        align: 'center',
      });
    doc
      .font('bold')
      .fontSize(9)
      .fillColor(GREY)
      .text(mark, MARGIN, doc.y + 2, { width: w.width, align: 'center' })
      .fillColor(BLACK);

    const student = `${c.student_first_name} ${c.student_last_name}`;
    w.heading(texts.parties);
    w.field('institution', joinedValues(data.centre.name, [data.centre.postal_code, data.centre.town].filter(present).join(' ')));
    w.field('host', joinedValues(data.host?.name, data.service?.name));
    w.field('student', joinedValues(student, c.student_number));
    doc.moveDown(0.4);
    w.paragraph(
      data.host ? fill(texts.intro, { number: c.number ?? '', student, host: data.host.name }) : fill(texts.introNoHost, { number: c.number ?? '', student }),
    );

    w.heading(texts.kind);
    const line = (label: string, value: string) =>
      doc.font('bold').fontSize(9).fillColor(BLACK).text(`${label} : `, MARGIN, doc.y, { width: w.width, continued: true }).font('regular').text(value);
    line(texts.kind, texts.kinds[a.kind]);
    line(texts.reason, a.reason);
    line(texts.status, texts.statuses[a.status]);
    w.paragraph(
      [
        fill(texts.createdOn, { date: frenchDay(new Date(a.created_at)) }),
        a.validated_at ? fill(texts.validatedOn, { date: frenchDay(new Date(a.validated_at)) }) : null,
      ]
        .filter(present)
        .join(' — '),
    );

    if (a.kind === 'termination' && a.termination_date) {
      w.heading(texts.termination);
      line(texts.terminationDate, formatFrenchDate(a.termination_date));
      if (present(a.termination_comment)) line(texts.terminationComment, a.termination_comment!);
    }
    // A termination's first row is the termination itself, printed above.
    const changes = a.kind === 'termination' && a.termination_date ? data.changes.slice(1) : data.changes;
    if (changes.length > 0) {
      w.heading(texts.changes);
      for (const row of changes) {
        if (doc.y > doc.page.height - doc.page.margins.bottom - 50) doc.addPage();
        doc.moveDown(0.2).font('bold').fontSize(9.5).fillColor(BLACK).text(row.label, MARGIN, doc.y, { width: w.width });
        doc
          .font('regular')
          .fontSize(9)
          .fillColor(GREY)
          .text(`${texts.before} : ${or(row.before)}`, MARGIN + 10, doc.y, { width: w.width - 10 });
        doc.fillColor(BLACK).text(`${texts.after} : ${or(row.after)}`, MARGIN + 10, doc.y, { width: w.width - 10 });
      }
    }
    signatures(w, data, true);
    footers(doc, first, doc.bufferedPageRange().count, mark, (n, total) => labels.get('page', { n, total }), printed);
  }
  return toBuffer(doc);
}

/** One-page summary printout (French). */
export async function renderSummary(data: DocumentData, options: { printedOn: string }): Promise<Buffer> {
  const all = documentTexts();
  const labels = new Labels(all.convention.fr, all.convention.fr);
  const extra = all.certificate;
  const c = data.convention;
  const doc = newDocument(`${extra.summaryTitle} ${c.number ?? ''}`.trim());
  doc.addPage();
  const w = new Writer(doc, labels);
  header(w, data, data.centre.logo ? safeImage(doc, data.centre.logo) : null, extra.summaryTitle, labels.get('number', { number: c.number ?? '' }));
  w.heading(labels.get('internship'));
  w.field('academicYear', c.academic_year);
  doc
    .font('bold')
    .fontSize(9)
    .text(`${extra.status} : `, MARGIN, doc.y, { continued: true })
    .font('regular')
    .text(extra.statuses[c.status] ?? c.status);
  w.field('student', `${c.student_first_name} ${c.student_last_name} (${c.student_number})`);
  w.field('step', `${c.step_label} – ${c.faculty_label}`);
  w.field('host', joinedValues(data.host?.name, data.service?.name));
  w.field('subject', c.subject);
  if (c.start_date && c.end_date) w.field('period', labels.get('dates', { start: formatFrenchDate(c.start_date), end: formatFrenchDate(c.end_date) }));
  if (data.presence) w.field('totalHours', formatHours(data.presence.totalMinutes));
  w.field('hoursPerWeek', c.hours_per_week === null ? null : formatHours(Math.round(Number(c.hours_per_week) * 60)));
  w.field('gratificationAmount', gratificationLine(labels, data));
  w.field('tutor', contactLine(data.tutor));
  w.field('supervisor', nameOf({ first_name: c.supervisor_first_name, last_name: c.supervisor_last_name }));
  w.field('representedBy', contactLine(data.signatory));
  footers(
    doc,
    0,
    doc.bufferedPageRange().count,
    '',
    (n, total) => labels.get('page', { n, total }),
    labels.get('printedOn', { date: formatFrenchDate(options.printedOn) }),
  );
  return toBuffer(doc);
}

/** Attestation de stage (D124-9): total effective duration and total gratification, computed. */
export async function renderCertificate(data: DocumentData, options: { printedOn: string }): Promise<Buffer> {
  const all = documentTexts();
  const labels = new Labels(all.convention.fr, all.convention.fr);
  const extra = all.certificate;
  const c = data.convention;
  const doc = newDocument(`${extra.certificateTitle} ${c.number ?? ''}`.trim());
  doc.addPage();
  const w = new Writer(doc, labels);
  header(w, data, data.centre.logo ? safeImage(doc, data.centre.logo) : null, extra.certificateTitle, extra.certificateSubtitle);
  doc.moveDown(1);
  w.paragraph(
    fill(extra.certificateIntro, {
      host: data.host?.name ?? '',
      student: `${c.student_first_name} ${c.student_last_name}`,
      programme: c.step_label,
      institution: data.centre.name,
      number: c.number ?? '',
    }),
    { size: 10 },
  );
  doc.moveDown(0.5);
  if (c.start_date && c.end_date) w.field('period', labels.get('dates', { start: formatFrenchDate(c.start_date), end: formatFrenchDate(c.end_date) }));
  w.field('subject', c.subject);
  if (data.presence) {
    const b = data.presence.breakdown;
    doc
      .font('bold')
      .fontSize(10)
      .text(`${extra.totalDuration} : `, MARGIN, doc.y, { continued: true })
      .font('regular')
      .text(
        `${formatHours(data.presence.totalMinutes)} (${labels.get('breakdownValue', { months: b.months, days: b.days, hours: b.hours, minutes: String(b.minutes).padStart(2, '0') })})`,
      );
  }
  doc
    .font('bold')
    .fontSize(10)
    .text(`${extra.totalGratification} : `, MARGIN, doc.y, { continued: true })
    .font('regular')
    .text(formatEuros(totalGratificationCents(c, data.presence)));
  doc.moveDown(1);
  w.paragraph(extra.certificateNote, { grey: true });
  doc.moveDown(1);
  w.paragraph(labels.get('signedAt'));
  doc.moveDown(0.5);
  w.paragraph(extra.certificateSignature);
  if (data.signatory) w.paragraph(contactLine(data.signatory) ?? '');
  footers(
    doc,
    0,
    doc.bufferedPageRange().count,
    '',
    (n, total) => labels.get('page', { n, total }),
    labels.get('printedOn', { date: formatFrenchDate(options.printedOn) }),
  );
  return toBuffer(doc);
}
