import { PHOTO_LIMITS, PRODUCT_STATUSES, productStatusLabels, STANDARDS } from './rules';
import { currentScheme, productTaxonomy } from './taxonomy';

/**
 * What the product forms and filters offer, built from the shipped taxonomy and the rules: the
 * classification schemes, standards, statuses and photo limits. Pure, so the web page tests build
 * their fixture from it too instead of a copy that would drift from the data.
 */
export function productMeta(uploadMaxBytes: number) {
  return {
    currentScheme: currentScheme().code,
    schemes: productTaxonomy.schemes.map((s) => ({
      code: s.code,
      label: s.label,
      legalBasis: s.legalBasis,
      current: s.current,
      complete: s.complete,
      classifyAt: s.classifyAt,
      notes: s.notes,
      groups: s.groups,
    })),
    standards: STANDARDS.map((s) => ({ code: s.code, label: { vi: s.vi, en: s.en } })),
    statuses: PRODUCT_STATUSES.map((code) => ({ code, label: productStatusLabels[code] })),
    photoLimits: {
      maxPhotosPerProduct: PHOTO_LIMITS.maxPhotosPerProduct,
      maxBytes: uploadMaxBytes,
      acceptedTypes: ['image/jpeg', 'image/png', 'image/webp'],
    },
  };
}
