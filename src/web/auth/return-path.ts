/** Only a path of this application may be a return address after sign-in: never another site. */
export function safeReturnPath(candidate: unknown): string | undefined {
  if (typeof candidate !== 'string') return undefined;
  if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (/[\u0000-\u001f\\]/.test(candidate) || candidate.length > 2000) return undefined;
  if (candidate.startsWith('/auth/')) return undefined;
  return candidate;
}
