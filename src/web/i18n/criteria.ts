/** Texts of the criteria pages; `en` must have exactly the keys of `vi`. */
export const criteriaVi = {};

export const criteriaEn: typeof criteriaVi = {};
