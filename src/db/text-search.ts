/** `%text%` for LIKE, the user's `%`, `_` and `\` taken literally. */
export function containing(value: string): string {
  return `%${value.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
