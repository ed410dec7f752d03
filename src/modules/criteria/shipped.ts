import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type RuleSet, ruleSetSchema, type Sheet, sheetSchema } from './documents';

/**
 * The rule-sets and sheets the platform ships under data/criteria/, listed in manifest.json
 * with the errors their validation is known to report. Recording those errors next to the data
 * keeps the shipped state honest: the real 1048 sheet ships with "part A = 36 against 35" on
 * record, and a test fails if the data or the validator drifts from what is recorded.
 */
export const DEFAULT_CRITERIA_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'data',
  'criteria',
);

const recordedError = z.object({ code: z.string(), path: z.string(), vi: z.string(), en: z.string() });
export type RecordedError = z.infer<typeof recordedError>;

const manifestEntry = z.object({
  file: z.string().regex(/^[a-z0-9-]+(\/[a-z0-9.-]+)+\.json$/),
  knownErrors: z.array(recordedError),
});

const manifestSchema = z.object({
  format: z.literal(1),
  dataset: z.literal('criteria'),
  ruleSets: z.array(manifestEntry),
  sheets: z.array(manifestEntry),
});
export type CriteriaManifest = z.infer<typeof manifestSchema>;

export type ShippedRuleSet = { file: string; document: RuleSet; knownErrors: RecordedError[] };
export type ShippedSheet = { file: string; document: Sheet; knownErrors: RecordedError[] };

export function readCriteriaManifest(dir = DEFAULT_CRITERIA_DIR): CriteriaManifest {
  return manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
}

function readJson(dir: string, file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
}

/** Every shipped document, parsed; a file that is not a well-formed document stops the load with its name. */
export function readShippedCriteria(dir = DEFAULT_CRITERIA_DIR): {
  ruleSets: ShippedRuleSet[];
  sheets: ShippedSheet[];
} {
  const manifest = readCriteriaManifest(dir);
  const parse = <T>(schema: z.ZodType<T>, file: string): T => {
    const result = schema.safeParse(readJson(dir, file));
    if (!result.success) throw new Error(`data/criteria/${file}: ${z.prettifyError(result.error)}`);
    return result.data;
  };
  return {
    ruleSets: manifest.ruleSets.map((e) => ({ ...e, document: parse(ruleSetSchema, e.file) })),
    sheets: manifest.sheets.map((e) => ({ ...e, document: parse(sheetSchema, e.file) })),
  };
}
