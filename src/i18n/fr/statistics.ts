/** Statistics (issue 5). */
export const statistics = {};
