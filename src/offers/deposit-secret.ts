import { createHash, randomBytes } from 'node:crypto';

/**
 * The secret of a company deposit link: 256 random bits, written in the address in base64url. Only its
 * SHA-256 is stored, so a copy of the database does not open the form, and a link is looked up by the
 * hash of what was typed: no comparison of secrets whose timing could leak one.
 */
export function newDepositSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashOfSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
