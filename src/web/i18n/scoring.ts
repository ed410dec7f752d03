/** Texts of the scoring pages; `en` must have exactly the keys of `vi`. */
export const scoringVi = {};

export const scoringEn: typeof scoringVi = {};
