/**
 * Issuing many imported certificates at once (a registry import's first certificates of products
 * it made): the checks of `issueCertificate` (the actor's province, the rule-set's issuer levels,
 * dates, no certificate in force), numbers allocated as one block per province and year, and a few
 * multi-row INSERTs. Runs inside the caller's transaction; the audit entries are handed back to the
 * caller, who writes them with `recordAudits` in that transaction. Upgrades and re-recognitions of a
 * product already certified go through `issueCertificate`, one by one.
 */
import { randomUUID } from 'node:crypto';
import { and, inArray, isNull, sql } from 'drizzle-orm';
import { BULK_CHUNK, BulkItemError, chunked, forItem } from '../../db/bulk';
import type { DbOrTx } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import { announceVerificationChange, applyVerificationChange } from '../../db/verification-notices';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError } from '../../server/errors';
import { today } from '../../shared/dates';
import type { AuditWrite } from '../audit';
import type { CreatedProduct } from '../products';
import { checkIssuer, issueDates, ruleSetFacts } from './issue-service';
import { messages } from './messages';
import { canManageCertificatesIn } from './policy';
import {
  formatCertificateNumber,
  type IssuerLevel,
  numberPatternFor,
  parseNumberPattern,
  supersessionProblem,
} from './rules';
import { certificateNumberSequences, certificates } from './schema';
import { certificateSettings } from './settings';

export type ImportedCertificateInput = {
  /** The product as the bulk product create returned it (its names, place and classification are copied). */
  product: CreatedProduct;
  star: 3 | 4 | 5;
  ruleSetCode: string;
  issuer: { name: string; level: IssuerLevel };
  decisionNumber: string;
  /** Null when the registry gives only `recognitionYear`: the dates stay null (status 'date_unknown'). */
  decisionDate: string | null;
  recognitionYear?: number | null;
  validFrom?: string;
  validTo?: string;
  /** The registry's own number; without it one is allocated from the province's pattern. */
  number?: string;
  sourceRef: string;
  originalAddress: string | null;
};

export type IssuedCertificate = { id: string; number: string };

/**
 * Allocates `count` numbers of one province and decision year as a block: one UPDATE of the
 * sequence moves it by `count` (the row lock serialises two commits, so their blocks never
 * overlap), numbers already taken by an imported registry are skipped and replaced by a further block.
 */
async function allocateNumbers(
  tx: DbOrTx,
  provinceCode: string,
  year: number,
  items: readonly { communeCode: string; star: number }[],
  reserved: Set<string>,
): Promise<string[]> {
  const parsed = parseNumberPattern(numberPatternFor(certificateSettings(), provinceCode));
  if ('problem' in parsed) throw new Error(`Invalid number pattern for province ${provinceCode}`);
  const numbers: (string | null)[] = items.map(() => null);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const missing = numbers.flatMap((n, i) => (n === null ? [i] : []));
    if (!missing.length) return numbers as string[];
    const [row] = await tx
      .insert(certificateNumberSequences)
      .values({ provinceCode, year, lastValue: missing.length })
      .onConflictDoUpdate({
        target: [certificateNumberSequences.provinceCode, certificateNumberSequences.year],
        set: { lastValue: sql`${certificateNumberSequences.lastValue} + ${missing.length}` },
      })
      .returning({ lastValue: certificateNumberSequences.lastValue });
    const first = row!.lastValue - missing.length + 1;
    const candidates = missing.map((index, k) =>
      formatCertificateNumber(parsed.tokens, { provinceCode, year, ...items[index]!, seq: first + k }),
    );
    const taken = new Set<string>();
    for (const slice of chunked(candidates)) {
      const rows = await tx
        .select({ number: certificates.number })
        .from(certificates)
        .where(inArray(certificates.number, slice));
      for (const r of rows) taken.add(r.number);
    }
    missing.forEach((index, k) => {
      const candidate = candidates[k]!;
      if (taken.has(candidate) || reserved.has(candidate)) return;
      reserved.add(candidate);
      numbers[index] = candidate;
    });
  }
  throw new AppError('CONFLICT', messages.numberTaken);
}

/**
 * Issues the certificates in input order ('new', source 'import') and returns their ids and
 * numbers in that order. A refused input throws a `BulkItemError` naming its index, with the
 * error `issueCertificate` would have thrown.
 */
export async function issueImportedCertificatesInBulk(
  tx: DbOrTx,
  ctx: RequestContext,
  inputs: readonly ImportedCertificateInput[],
  audits: AuditWrite[],
): Promise<IssuedCertificate[]> {
  if (!inputs.length) return [];
  const actor = ctx.actor!;
  const day = today(ctx.config.timeZone);
  const rules = new Map<string, Awaited<ReturnType<typeof ruleSetFacts>>>();
  for (const code of new Set(inputs.map((i) => i.ruleSetCode)))
    rules.set(code, await ruleSetFacts(ctx, code));

  // A product certified already (or twice in the batch) needs an upgrade or re-recognition: not here.
  const certified = new Set<string>();
  for (const slice of chunked([...new Set(inputs.map((i) => i.product.id))])) {
    const rows = await tx
      .select({ productId: certificates.productId })
      .from(certificates)
      .where(and(inArray(certificates.productId, slice), isNull(certificates.correctsId)));
    for (const r of rows) certified.add(r.productId);
  }
  const dated = inputs.map((input, i) =>
    forItem(i, () => {
      if (!canManageCertificatesIn(actor, input.product.provinceCode)) throw new AppError('FORBIDDEN');
      checkIssuer(rules.get(input.ruleSetCode)!, input.issuer.level, input.star, 'issuer.level');
      const problem = supersessionProblem(
        'new',
        certified.has(input.product.id) ? { star: input.star } : null,
        null,
        input.star,
      );
      if (problem) throw fieldError('issueKind', messages[problem], 'CONFLICT');
      certified.add(input.product.id);
      // The same dates rule as a single issue (a year-only import keeps its dates null).
      return issueDates({ ...input, source: 'import' }, day, rules.get(input.ruleSetCode)!.validityMonths);
    }),
  );

  // The registry's own numbers: free, and not twice in the batch.
  const given = inputs.map((i) => i.number).filter((n): n is string => !!n);
  const reserved = new Set<string>();
  for (const slice of chunked([...new Set(given)])) {
    const rows = await tx
      .select({ number: certificates.number })
      .from(certificates)
      .where(inArray(certificates.number, slice));
    for (const r of rows) reserved.add(r.number);
  }
  inputs.forEach((input, i) => {
    if (!input.number) return;
    if (reserved.has(input.number))
      throw new BulkItemError(i, fieldError('number', messages.numberTaken, 'CONFLICT'));
    reserved.add(input.number);
  });

  // The others: one block of numbers per province and decision year.
  const numbers: string[] = inputs.map((i) => i.number ?? '');
  const groups = new Map<string, number[]>();
  inputs.forEach((input, i) => {
    if (input.number) return;
    const key = `${input.product.provinceCode}|${dated[i]!.year}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const [key, indexes] of groups) {
    const [provinceCode, year] = key.split('|') as [string, string];
    const allocated = await allocateNumbers(
      tx,
      provinceCode,
      Number(year),
      indexes.map((i) => ({ communeCode: inputs[i]!.product.communeCode, star: inputs[i]!.star })),
      reserved,
    );
    indexes.forEach((index, k) => {
      numbers[index] = allocated[k]!;
    });
  }

  const issued: IssuedCertificate[] = [];
  for (const [c, slice] of chunked(inputs).entries()) {
    const values = slice.map((input, j) => {
      const index = c * BULK_CHUNK + j;
      const p = input.product;
      return {
        // Made here, so each certificate is known by its id whatever order RETURNING gives.
        id: randomUUID(),
        number: numbers[index]!,
        version: 1,
        productId: p.id,
        subjectId: p.subjectId,
        productName: p.name,
        subjectName: p.subjectName,
        provinceCode: p.provinceCode,
        communeCode: p.communeCode,
        originalAddress: input.originalAddress,
        taxonomyScheme: p.taxonomyScheme,
        categoryCode: p.categoryCode,
        star: input.star,
        ruleSetCode: input.ruleSetCode,
        issueKind: 'new',
        issuerName: input.issuer.name,
        issuerLevel: input.issuer.level,
        decisionNumber: input.decisionNumber,
        decisionDate: dated[index]!.decisionDate,
        validFrom: dated[index]!.validFrom,
        validTo: dated[index]!.validTo,
        recognitionYear: dated[index]!.recognitionYear,
        supersedesId: null,
        source: 'import',
        sourceRef: input.sourceRef,
        createdBy: actor.userId,
      };
    });
    const rows = await tx
      .insert(certificates)
      .values(values)
      .returning()
      .catch((error: unknown) => {
        const constraint = uniqueViolation(error);
        // A concurrent issue took a number or a source reference between the checks and the insert.
        if (constraint === 'certificates_number_version_key')
          throw new BulkItemError(c * BULK_CHUNK, fieldError('number', messages.numberTaken, 'CONFLICT'));
        if (constraint === 'certificates_source_ref_key')
          throw new BulkItemError(c * BULK_CHUNK, new AppError('CONFLICT'));
        throw error;
      });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const { id } of values) {
      const row = byId.get(id)!;
      issued.push({ id: row.id, number: row.number });
      audits.push({
        action: 'certificate.issued',
        entityType: 'certificate',
        entityId: row.id,
        after: { ...row, productNameSearch: undefined },
      });
    }
  }
  const change = { numbers: issued.map((c) => c.number) };
  await announceVerificationChange(tx, change);
  applyVerificationChange(ctx.database, change);
  return issued;
}
