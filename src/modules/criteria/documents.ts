import { z } from 'zod';
import { requiredText, text } from '../../shared/fields';

/**
 * The shapes of a rule-set version and of a scoring sheet, as JSON documents (files under
 * data/criteria/, imports, exports). Zod checks the shape only; everything that needs the
 * whole document (sums, duplicate codes, bands, references) is `validateRuleSet` /
 * `validateSheet` in rules.ts, which report every problem with a path in Vietnamese and English.
 * No server imports: the web app uses these types too.
 */

export const DOCUMENT_SCHEMA_VERSION = 1;

/**
 * How sure a value is, as DOMAIN.md tags facts: `law` stated in the regulation, `press` reported
 * by one secondary source, `open` not known — an administrator sets it and the UI shows it as such.
 */
export const SOURCES = ['law', 'press', 'open'] as const;
export type Source = (typeof SOURCES)[number];
const source = z.enum(SOURCES);

export const STATUSES = ['draft', 'active', 'retired'] as const;
export type DocumentStatus = (typeof STATUSES)[number];

export type Star = 1 | 2 | 3 | 4 | 5;
export type RequirementStar = 3 | 4 | 5;
const star = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
const requirementStar = z.union([z.literal(3), z.literal(4), z.literal(5)]);

/** Stable identifiers of parts, groups, criteria, options, checklist items: answers and reports refer to them. */
export const codeSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

/** Official texts are Vietnamese; an English rendering is optional except where the UI needs both. */
export const localized = z.object({ vi: requiredText(2000), en: text(2000).optional() });
export type Localized = z.infer<typeof localized>;
const bilingual = z.object({ vi: requiredText(500), en: requiredText(500) });

/** A date as precise as the source: "2019", "2023-02" or "2023-02-24". */
const partialDate = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/);

const points = z.number().finite();

// ---------------------------------------------------------------- rule-set version

export const ROUNDING_MODES = ['truncate', 'half-up'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** How council members' answers are combined to judge a `requiredForStar` requirement. */
export const REQUIREMENT_JUDGEMENTS = ['majority', 'all', 'mean'] as const;
export type RequirementJudgement = (typeof REQUIREMENT_JUDGEMENTS)[number];

export const LEVELS = ['commune', 'district', 'province', 'central'] as const;
export type Level = (typeof LEVELS)[number];

export const TAXONOMY_SCHEMES = ['1048', '2026'] as const;

const partMaximum = z.object({
  code: codeSchema,
  name: localized.optional(),
  maxPoints: points.positive(),
  source,
});

/** A star band: `min` inclusive, `max` exclusive — except the top band, which includes the maximum score. */
const starBand = z.object({ star, min: points, max: points });

const recognitionLevel = z.object({
  level: z.enum(LEVELS),
  /** `score`: the level's council scores; `precheck`: the level checks listed criteria and proposes upward. */
  role: z.enum(['score', 'precheck']),
  authority: localized,
  certifiesStars: z.array(requirementStar).max(3),
  /** Products whose score reaches this and whose star a higher level certifies go up; null: nothing goes up. */
  forwardFromScore: points.min(0).max(100).nullable(),
  /** For a pre-check level: criterion codes it checks. Which ones is not known yet ([open]). */
  precheckCriteria: z.object({ codes: z.array(codeSchema).max(200), source }).optional(),
  /** Minimum evaluation rounds a year and their deadlines ("MM-DD"), where the regulation sets them. */
  rounds: z
    .object({
      perYear: z.number().int().min(1).max(12),
      deadlines: z.array(z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)).max(12),
      source,
    })
    .optional(),
  source,
});

const checklistItem = z.object({
  code: codeSchema,
  label: bilingual,
  required: z.boolean(),
  /** Empty: every product set. Otherwise the item applies only to / not to these product-set codes. */
  onlyProductSets: z.array(codeSchema).max(100).default([]),
  exceptProductSets: z.array(codeSchema).max(100).default([]),
  source,
});
export type ChecklistItem = z.infer<typeof checklistItem>;

export const ruleSetSchema = z.object({
  schemaVersion: z.literal(DOCUMENT_SCHEMA_VERSION),
  code: codeSchema,
  name: localized,
  legalBasis: z
    .array(
      z.object({
        document: requiredText(100),
        date: partialDate.optional(),
        title: localized.optional(),
        source,
      }),
    )
    .min(1)
    .max(20),
  inForce: z.object({ from: partialDate, to: partialDate.nullable(), source }),
  status: z.enum(STATUSES).default('draft'),
  /** The classification its product sets come from (products module: "1048" or "2026"). */
  taxonomyScheme: z.enum(TAXONOMY_SCHEMES),
  parts: z.array(partMaximum).min(1).max(10),
  starBands: z.array(starBand).min(1).max(10),
  /** Only these stars and above are recognised and certified [law: 3★]. */
  recognisedFromStar: requirementStar,
  rounding: z.object({ decimals: z.number().int().min(0).max(4), mode: z.enum(ROUNDING_MODES), source }),
  /** Below this number of submitted member sheets a result is invalid. Null until an administrator sets it. */
  minimumSheets: z.object({ value: z.number().int().min(1).max(50).nullable(), source }),
  requirementJudgement: z.object({ mode: z.enum(REQUIREMENT_JUDGEMENTS), source }),
  /** A member whose total is further than this from the mean is flagged for discussion. */
  outlierDistance: z.object({ value: points.min(0).max(100), source }),
  levels: z.array(recognitionLevel).min(1).max(4),
  certificateValidityMonths: z.object({ value: z.number().int().min(1).max(120), source }),
  expiryNoticeDays: z.object({ value: z.number().int().min(0).max(365), source }),
  /** Product sets whose advisory group must make a field visit (tourism). */
  fieldVisitRequiredFor: z.object({ productSets: z.array(codeSchema).max(100), source }),
  checklist: z.array(checklistItem).max(100),
  notes: z.array(localized).max(20).default([]),
});
export type RuleSet = z.infer<typeof ruleSetSchema>;
export type RuleSetInput = z.input<typeof ruleSetSchema>;
export type StarBand = z.infer<typeof starBand>;
export type RecognitionLevel = z.infer<typeof recognitionLevel>;
export type Rounding = RuleSet['rounding'];

// ---------------------------------------------------------------- scoring sheet

const optionSchema = z.object({
  code: codeSchema,
  text: localized,
  points,
  /** Choosing this option or one worth at least as many points is required for this star and above. */
  requiredForStar: requirementStar.optional(),
  guidance: localized.optional(),
});
export type SheetOption = z.infer<typeof optionSchema>;

export type Criterion = {
  code: string;
  name: Localized;
  guidance?: Localized | undefined;
  /** Editorial remark on the transcription, never official text. */
  note?: Localized | undefined;
  /** The criterion must be met (an option worth more than 0 points) for this star and above. */
  requiredForStar?: RequirementStar | undefined;
  maxPoints?: number | undefined;
  options?: SheetOption[] | undefined;
  criteria?: Criterion[] | undefined;
};

export const criterionSchema: z.ZodType<Criterion, unknown> = z.object({
  code: codeSchema,
  name: localized,
  guidance: localized.optional(),
  note: localized.optional(),
  requiredForStar: requirementStar.optional(),
  maxPoints: points.optional(),
  options: z.array(optionSchema).max(30).optional(),
  get criteria() {
    return z.array(criterionSchema).max(100).optional();
  },
});

const groupSchema = z.object({
  code: codeSchema,
  name: localized,
  guidance: localized.optional(),
  maxPoints: points.optional(),
  criteria: z.array(criterionSchema).max(100),
});
export type SheetGroup = z.infer<typeof groupSchema>;

const partSchema = z.object({
  code: codeSchema,
  name: localized,
  maxPoints: points,
  guidance: localized.optional(),
  groups: z.array(groupSchema).max(50),
});
export type SheetPart = z.infer<typeof partSchema>;

const disqualifierSchema = z.object({ code: codeSchema, text: localized, source });
export type Disqualifier = z.infer<typeof disqualifierSchema>;

/** Title every demo sheet must carry, so nothing unofficial is taken for an official sheet. */
export const DEMO_SHEET_LABEL = 'Phiếu minh hoạ (không phải văn bản chính thức)';

export const sheetSchema = z.object({
  schemaVersion: z.literal(DOCUMENT_SCHEMA_VERSION),
  code: codeSchema,
  ruleSet: codeSchema,
  productSet: z.object({ scheme: z.enum(TAXONOMY_SCHEMES), code: codeSchema, name: localized }),
  title: localized,
  status: z.enum(STATUSES).default('draft'),
  /** A demonstration sheet, not an official text; it must say so in its title. */
  demo: z.boolean().default(false),
  provenance: z.object({ source: requiredText(2000), note: text(4000).optional() }),
  guidance: localized.optional(),
  parts: z.array(partSchema).max(10),
  disqualifiers: z.array(disqualifierSchema).max(50).default([]),
});
export type Sheet = z.infer<typeof sheetSchema>;
export type SheetInput = z.input<typeof sheetSchema>;

/** A rule-set version with its sheets: the unit of export and of a whole import. */
export const ruleSetBundleSchema = z.object({
  ruleSet: ruleSetSchema,
  sheets: z.array(sheetSchema).max(100).default([]),
});
export type RuleSetBundle = z.infer<typeof ruleSetBundleSchema>;

/** One member's answers: the chosen option code per leaf criterion code. */
export type Answers = Readonly<Record<string, string>>;
