export const MAX_LOGO_BYTES = 500 * 1024;

export type LogoMimeType = 'image/png' | 'image/jpeg';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * The type of an uploaded logo, read from its first bytes: a file name or a declared type is whatever
 * the sender chose, and the logo is later served and printed as what it claims to be.
 */
export function detectLogoType(bytes: Buffer): LogoMimeType | null {
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)) return 'image/jpeg';
  return null;
}

export type LogoCheck = { ok: true; mimeType: LogoMimeType } | { ok: false; problem: 'empty' | 'too_large' | 'not_an_image' };

export function checkLogo(bytes: Buffer): LogoCheck {
  if (bytes.length === 0) return { ok: false, problem: 'empty' };
  if (bytes.length > MAX_LOGO_BYTES) return { ok: false, problem: 'too_large' };
  const mimeType = detectLogoType(bytes);
  return mimeType ? { ok: true, mimeType } : { ok: false, problem: 'not_an_image' };
}
