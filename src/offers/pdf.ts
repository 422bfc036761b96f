import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { t } from '../i18n/index.ts';
import { formatFrenchDate } from '../rules/calendar.ts';
import type { OfferPage } from './pages.ts';
import { labelOf } from './references.ts';

/**
 * The printout of an offer (`/offers/:id/offer.pdf`): what the offer page shows to the person printing
 * it — a student gets the host and contacts only when the offer shows them. PDFKit with the embedded
 * DejaVu fonts, as the convention documents (src/documents/pdf.ts), so that every character prints.
 */
const require = createRequire(import.meta.url);
const fontDirectory = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf').replace(/DejaVuSans\.ttf$/, '');
const FONTS = { regular: readFileSync(`${fontDirectory}DejaVuSans.ttf`), bold: readFileSync(`${fontDirectory}DejaVuSans-Bold.ttf`) };
const MARGIN = 50;
const label = (key: string, parameters?: Record<string, string | number>) => t(`offers.fields.${key}`, parameters);

type Doc = InstanceType<typeof PDFDocument>;

function heading(doc: Doc, text: string): void {
  doc.moveDown(0.6).font('bold').fontSize(11).text(text, MARGIN);
  doc.moveDown(0.2);
}

function field(doc: Doc, name: string, value: string | number | null | undefined): void {
  if (value === null || value === undefined || String(value).trim() === '') return;
  doc
    .font('bold')
    .fontSize(9)
    .text(`${label(name)} : `, MARGIN, doc.y, { continued: true })
    .font('regular')
    .text(String(value));
}

export function renderOfferPdf(page: OfferPage, printedOn: string): Promise<Buffer> {
  const { offer, references } = page;
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${t('offers.pdf.title')} ${offer.id}`, Creator: 'Conventio' } });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);

  doc.font('bold').fontSize(16).text(offer.title, MARGIN);
  doc
    .font('regular')
    .fontSize(9)
    .text(t('offers.pdf.subtitle', { number: offer.id, centre: page.centre.name, date: formatFrenchDate(printedOn) }));

  heading(doc, t('offers.show.details'));
  field(doc, 'offer_type', labelOf(references.offerTypes, offer.offer_type));
  field(doc, 'contract', labelOf(references.offerContracts, offer.contract));
  field(doc, 'reference', offer.reference);
  field(doc, 'domain', offer.domain);
  field(doc, 'missions', offer.missions);
  field(doc, 'town', [offer.postal_code, offer.town, labelOf(references.countries, offer.country_code)].filter(Boolean).join(' '));
  field(doc, 'paid', offer.paid === null ? null : t(offer.paid ? 'offers.show.yes' : 'offers.show.no'));
  field(doc, 'pay_details', offer.pay_details);
  field(doc, 'start', offer.start_month && offer.start_year ? `${String(offer.start_month).padStart(2, '0')}/${offer.start_year}` : null);
  field(doc, 'start_details', offer.start_details);
  field(doc, 'duration_value', offer.duration_value ? `${Number(offer.duration_value)} ${labelOf(references.durationUnits, offer.duration_unit) ?? ''}` : null);
  field(doc, 'working_time', labelOf(references.workingTime, offer.working_time));
  field(doc, 'working_time_comment', offer.working_time_comment);
  field(doc, 'benefits', offer.benefits);
  field(doc, 'training_level', labelOf(references.trainingLevels, offer.training_level));
  field(doc, 'skills', offer.skills);
  field(doc, 'application_modes', offer.application_modes.map((mode) => labelOf(references.applicationModes, mode)).join(', '));
  field(doc, 'comments', offer.comments);
  if (offer.rqth_accessible) field(doc, 'rqth_accessible', t('offers.show.yes'));
  if (offer.rqth_priority) field(doc, 'rqth_priority', t('offers.show.yes'));
  field(doc, 'link_url', offer.link_url);
  field(doc, 'file', offer.file_name);

  if (page.host) {
    heading(doc, t('offers.show.host'));
    field(doc, 'host', page.host.name);
    field(doc, 'address', [page.host.address, page.host.postal_code, page.host.town].filter(Boolean).join(' '));
    field(doc, 'phone', page.host.phone);
    field(doc, 'email', page.host.email);
    for (const [key, contact] of [
      ['application_contact_id', page.applicationContact],
      ['information_contact_id', page.informationContact],
    ] as const) {
      if (contact) field(doc, key, [`${contact.first_name} ${contact.last_name}`, contact.function, contact.phone, contact.email].filter(Boolean).join(' – '));
    }
  }
  if (offer.published_until) field(doc, 'published_until', formatFrenchDate(offer.published_until));

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
