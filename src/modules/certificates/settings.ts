import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  type CertificateSettings,
  DEFAULT_EXPIRING_DAYS,
  parseNumberPattern,
  VALIDITY_END_CONVENTIONS,
} from './rules';

/**
 * The certificate settings shipped in data/certificates/config.json: numbering patterns per
 * province, the validity-end convention and the "expiring" threshold. Data, not code, because
 * provinces number differently and the regulation leaves the day convention open. Read once and
 * validated: a bad pattern stops the start with a message, never a wrong number later.
 */
export const DEFAULT_CERTIFICATES_CONFIG = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'data',
  'certificates',
  'config.json',
);

const pattern = z.string().superRefine((value, context) => {
  const parsed = parseNumberPattern(value);
  if ('problem' in parsed)
    context.addIssue({
      code: 'custom',
      message: `pattern ${parsed.problem}${parsed.at ? ` at "${parsed.at}"` : ''}`,
    });
});

const configSchema = z.object({
  format: z.literal(1),
  numbering: z.object({
    defaultPattern: pattern,
    provincePatterns: z.record(z.string().regex(/^\d{2}$/), pattern),
    note: z.string().optional(),
  }),
  validityEnd: z.enum(VALIDITY_END_CONVENTIONS),
  expiringDays: z.number().int().min(1).max(365).default(DEFAULT_EXPIRING_DAYS),
});

export function parseCertificateSettings(json: unknown): CertificateSettings {
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid certificate settings: ${problems}`);
  }
  const c = parsed.data;
  return {
    defaultPattern: c.numbering.defaultPattern,
    provincePatterns: c.numbering.provincePatterns,
    validityEnd: c.validityEnd,
    expiringDays: c.expiringDays,
  };
}

let cached: CertificateSettings | undefined;

export function certificateSettings(): CertificateSettings {
  cached ??= parseCertificateSettings(JSON.parse(fs.readFileSync(DEFAULT_CERTIFICATES_CONFIG, 'utf8')));
  return cached;
}
