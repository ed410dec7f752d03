/** Texts of the council pages; `en` must have exactly the keys of `vi`. */
export const councilVi = {};

export const councilEn: typeof councilVi = {};
