/**
 * The attached file of an offer: doc, docx, odt or pdf, 500 KB at most, its type read from its bytes —
 * a file name or a declared type is whatever the sender chose, and the file is served back to students
 * as what it claims to be.
 */
export const MAX_OFFER_FILE_BYTES = 500 * 1024;

export type OfferFileType =
  | 'application/pdf'
  | 'application/msword'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'application/vnd.oasis.opendocument.text';

const PDF = Buffer.from('%PDF-');
// Compound File Binary (Word 97–2003 .doc).
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ODT_MIME = 'application/vnd.oasis.opendocument.text';

/**
 * The names of a ZIP archive's entries, from its central directory (local headers may leave their sizes
 * to a trailing descriptor, as LibreOffice writes them); null when the archive is not readable.
 */
function zipEntryNames(bytes: Buffer): string[] | null {
  const END_OF_DIRECTORY = 0x06054b50;
  const DIRECTORY_ENTRY = 0x02014b50;
  // The end record is in the last 22 bytes, plus a comment of up to 65 535 bytes.
  let end = -1;
  for (let offset = bytes.length - 22; offset >= Math.max(0, bytes.length - 22 - 0xffff); offset -= 1) {
    if (bytes.readUInt32LE(offset) === END_OF_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) return null;
  const count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== DIRECTORY_ENTRY) return null;
    const nameLength = bytes.readUInt16LE(offset + 28);
    names.push(bytes.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'));
    offset += 46 + nameLength + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
  }
  return names;
}

export function detectOfferFileType(bytes: Buffer): OfferFileType | null {
  if (bytes.subarray(0, PDF.length).equals(PDF)) return 'application/pdf';
  if (bytes.subarray(0, OLE.length).equals(OLE)) return 'application/msword';
  if (!bytes.subarray(0, ZIP.length).equals(ZIP) || bytes.length < 30 + 22) return null;
  // An OpenDocument file starts with an uncompressed "mimetype" entry naming its type.
  const firstName = bytes.subarray(30, 30 + bytes.readUInt16LE(26)).toString('utf8');
  const firstData = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28);
  if (firstName === 'mimetype' && bytes.subarray(firstData, firstData + ODT_MIME.length).toString('utf8') === ODT_MIME) return ODT_MIME;
  return zipEntryNames(bytes)?.includes('word/document.xml') ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : null;
}

export type OfferFileProblem = 'missing' | 'empty' | 'too_large' | 'wrong_type' | 'too_many' | 'unreadable';
export type OfferFileCheck = { ok: true; type: OfferFileType } | { ok: false; problem: OfferFileProblem };

export function checkOfferFile(bytes: Buffer): OfferFileCheck {
  if (bytes.length === 0) return { ok: false, problem: 'empty' };
  if (bytes.length > MAX_OFFER_FILE_BYTES) return { ok: false, problem: 'too_large' };
  const type = detectOfferFileType(bytes);
  return type ? { ok: true, type } : { ok: false, problem: 'wrong_type' };
}
