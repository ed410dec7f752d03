/** Texts of the certificates pages; `en` must have exactly the keys of `vi`. */
export const certificatesVi = {};

export const certificatesEn: typeof certificatesVi = {};
