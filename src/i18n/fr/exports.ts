/** Exports of the convention search (issue 5). */
export const exports = {};
