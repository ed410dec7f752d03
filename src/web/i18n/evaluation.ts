/** Texts of the evaluation pages; `en` must have exactly the keys of `vi`. */
export const evaluationVi = {};

export const evaluationEn: typeof evaluationVi = {};
