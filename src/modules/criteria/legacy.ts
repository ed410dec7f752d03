import { z } from 'zod';
import { requiredText, text } from '../../shared/fields';
import { type Criterion, DOCUMENT_SCHEMA_VERSION, type SheetInput, sheetSchema } from './documents';

/**
 * Sheets transcribed without codes — the shape of `reference/criteria-1048-rau-cu-qua-hat-tuoi.json`
 * (parts → groups → criteria → options with text and points) — converted to our sheet format.
 * Codes are given by position: groups "A1", criteria "A1.3", sub-criteria "A1.3.2", options
 * "A1.3.a". They are stable as long as the transcription's order is, which is why the converted
 * file, not the transcription, is what ships and what answers refer to.
 */
type LegacyCriterion = {
  name: string;
  options?: { text: string; points: number }[] | undefined;
  criteria?: LegacyCriterion[] | undefined;
};

const legacyOption = z.object({ text: requiredText(2000), points: z.number().finite() });
const legacyCriterion: z.ZodType<LegacyCriterion, unknown> = z.object({
  name: requiredText(2000),
  options: z.array(legacyOption).max(30).optional(),
  get criteria() {
    return z.array(legacyCriterion).max(100).optional();
  },
});

export const legacySheetSchema = z.object({
  source: text(4000).optional(),
  note: text(4000).optional(),
  legalBasis: text(200).optional(),
  productSet: text(500).optional(),
  parts: z
    .array(
      z.object({
        code: z.string().regex(/^[A-Z]$/),
        name: requiredText(500),
        maxPoints: z.number().finite(),
        groups: z
          .array(z.object({ name: requiredText(500), criteria: z.array(legacyCriterion).max(100) }))
          .max(50),
      }),
    )
    .max(10),
});
export type LegacySheet = z.infer<typeof legacySheetSchema>;

/** "a".."z", then "aa", "ab"…: option letters as printed on paper sheets. */
export function optionLetter(index: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return index < 26 ? letters[index]! : `${optionLetter(Math.floor(index / 26) - 1)}${letters[index % 26]}`;
}

function convertCriterion(criterion: LegacyCriterion, code: string): Criterion {
  const sub = criterion.criteria ?? [];
  return {
    code,
    name: { vi: criterion.name },
    ...(criterion.options?.length
      ? {
          options: criterion.options.map((o, i) => ({
            code: `${code}.${optionLetter(i)}`,
            text: { vi: o.text },
            points: o.points,
          })),
        }
      : {}),
    ...(sub.length ? { criteria: sub.map((c, i) => convertCriterion(c, `${code}.${i + 1}`)) } : {}),
  };
}

export type LegacyConversionTarget = {
  code: string;
  ruleSet: string;
  productSet: SheetInput['productSet'];
  title: SheetInput['title'];
  provenance: SheetInput['provenance'];
};

/** A sheet document in our format; still to be validated against its rule-set like any import. */
export function convertLegacySheet(legacy: LegacySheet, target: LegacyConversionTarget): SheetInput {
  const converted: SheetInput = {
    schemaVersion: DOCUMENT_SCHEMA_VERSION,
    code: target.code,
    ruleSet: target.ruleSet,
    productSet: target.productSet,
    title: target.title,
    status: 'draft',
    demo: false,
    provenance: target.provenance,
    parts: legacy.parts.map((part) => ({
      code: part.code,
      name: { vi: part.name },
      maxPoints: part.maxPoints,
      groups: part.groups.map((group, g) => {
        const groupCode = `${part.code}${g + 1}`;
        return {
          code: groupCode,
          name: { vi: group.name },
          criteria: group.criteria.map((c, i) => convertCriterion(c, `${groupCode}.${i + 1}`)),
        };
      }),
    })),
    disqualifiers: [],
  };
  // Parsing here proves the conversion yields a well-formed document before anyone stores it.
  sheetSchema.parse(converted);
  return converted;
}
