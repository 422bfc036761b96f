export const centres = {};
