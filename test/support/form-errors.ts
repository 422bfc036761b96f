/** The error shown next to a field of the shared field partial (views/partials/field.ejs). */
export const fieldError = (html: string, field: string) => new RegExp(`id="field-${field}-error">([^<]*)<`).exec(html)?.[1];
