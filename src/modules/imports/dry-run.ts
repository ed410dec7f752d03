import { and, eq } from 'drizzle-orm';
import type { RequestContext } from '../../server/context';
import { AppError } from '../../server/errors';
import { localDate } from '../../shared/dates';
import { adminUnitIndex, getProvince, resolveAddresses } from '../admin-units';
import { recordAudit } from '../audit';
import { findLatestByNumber, issuerProblem } from '../certificates';
import { getRuleSet, listRuleSets } from '../criteria';
import { productTaxonomy } from '../products';
import { checkSubjectFacts, checkSubjectTaxCode, subjectTypeInfo } from '../subjects';
import type { ImportReport } from './contract';
import {
  applyDecision,
  classCatalogue,
  classEraOf,
  isToneVariant,
  type Match,
  type MatchDecision,
  type Matches,
  matchCategory,
  matchDecisionDate,
  matchStar,
  settledValue,
} from './matching';
import { importMessages as messages } from './messages';
import {
  type Cell,
  fold,
  headerSignature,
  type ImportField,
  type Mapping,
  type RowValues,
  readRow,
  rowFingerprint,
  ruleSetForRow,
  sourceRefOf,
  splitAddress,
} from './rules';
import { type CandidateCommune, importJobs, importLinks, importRows, importTemplates } from './schema';
import {
  type Ctx,
  countRows,
  dataRows,
  type JobRow,
  loadJob,
  type RowRecord,
  readJobGrid,
  reportOf,
  rowStatus,
} from './store';
import { classSynonyms } from './synonyms';
import { checkMapping } from './upload-service';

const CATALOGUE = classCatalogue(productTaxonomy);

export type Levels = { level: string; certifiesStars: number[] }[];

export async function ruleSetLevels(ctx: RequestContext, cache: Map<string, Levels | null>, code: string) {
  if (!cache.has(code)) {
    const { items } = await listRuleSets({ ctx, input: { code } });
    const chosen = items.find((r) => r.status === 'active') ?? items[0];
    cache.set(code, chosen ? (await getRuleSet({ ctx, input: { id: chosen.id } })).document.levels : null);
  }
  return cache.get(code) ?? null;
}

/** The address as written, for the record's `originalAddress` when it names pre-2025 units. */
export function writtenAddress(values: RowValues): string {
  if (values.address) return values.address;
  return [values.commune, values.district, values.province].filter(Boolean).join(', ');
}

type Draft = Omit<RowRecord, 'jobId'>;
type Remembered = Record<string, Omit<MatchDecision, 'remembered'>>;

/** The decision for a match's key: this import's own, else one remembered for the template. */
export function withDecision(match: Match, own: Remembered, remembered: Remembered): Match {
  const mine = own[match.key];
  if (mine) return applyDecision(match, { ...mine, remembered: false });
  const old = remembered[match.key];
  return old ? applyDecision(match, { ...old, remembered: true }) : match;
}

type ResolveResult = Awaited<ReturnType<typeof resolveAddresses>>['results'][number];

/** "Tỉnh Ninh Bình", "Ninh Bình", "tinh ninh binh" → one key. */
const provinceKey = (name: string) => fold(name).replace(/^(tinh|thanh pho|tp)\s+/, '');

/**
 * The row's own reading joined with the readings in each old province of the merged one. One
 * commune found in all of them stands; several are candidates a person chooses among, each named
 * with the old province it was in ("Xã Yên Mỹ" of Nam Định and of Ninh Bình).
 */
function mergeReadings(own: ResolveResult, others: ResolveResult[]): ResolveResult {
  if (others.length === 0) return own;
  const options = new Map<string, ResolveResult['candidates'][number]>();
  const add = (result: ResolveResult) => {
    if (result.status === 'resolved' && result.current) {
      const from = result.matchedOld.map((o) => o.communeCode).filter((c): c is string => !!c);
      if (!options.has(result.current.communeCode))
        options.set(result.current.communeCode, {
          ...result.current,
          reason: 'ambiguous_name',
          fromOldCommuneCodes: from,
        });
    } else {
      for (const c of result.candidates) if (!options.has(c.communeCode)) options.set(c.communeCode, c);
    }
  };
  add(own);
  for (const other of others) add(other);
  const matchedOld = [own, ...others].flatMap((r) => r.matchedOld);
  if (options.size <= 1)
    return own.status === 'not_found' && options.size === 1
      ? { ...others.find((o) => o.status !== 'not_found')!, matchedOld }
      : own;
  return {
    status: 'needs_decision',
    current: null,
    candidates: [...options.values()],
    matchedCurrent: own.matchedCurrent,
    matchedOld,
    problem: null,
  };
}

/**
 * The registry's own "current commune" checked against the official conversion of its old address:
 * agreeing with a single conversion changes nothing; agreeing with one of several makes it the
 * suggestion a person confirms; disagreeing is a conflict offering both, flagged. A value that is
 * no current commune of the province is warned and left aside.
 */
function checkCurrentCommune(
  match: Match,
  current: ResolveResult,
  draft: Draft,
  provinceCode: string,
): Match {
  const written = draft.values.currentCommune ?? '';
  const code =
    current.status === 'resolved' && current.current?.provinceCode === provinceCode
      ? current.current.communeCode
      : null;
  if (!code || !current.current) {
    draft.warnings.push({ field: 'currentCommune', code: 'unknownCommune' });
    return match;
  }
  const key = `${match.key}|${fold(written)}`;
  const labels = { ...match.labels, [code]: current.current.communeName };
  const official = match.candidates;
  if (official.includes(code)) {
    if (official.length === 1) return { ...match, notes: [...match.notes, 'currentCommuneAgrees'] };
    return {
      ...match,
      key,
      labels,
      kind: 'context',
      value: code,
      candidates: [code, ...official.filter((c) => c !== code)],
      evidence: [written],
    };
  }
  draft.warnings.push({ field: 'address', code: 'currentCommuneConflict' });
  return {
    ...match,
    key,
    labels,
    kind: match.kind === 'none' ? 'context' : 'synonym',
    value: null,
    candidates: [...official, code],
    evidence: [written],
    notes: [...match.notes, 'currentCommuneConflict'],
  };
}

const cellOf = (cells: readonly Cell[], mapping: Mapping, field: ImportField): Cell => {
  const index = mapping[field];
  return index === undefined ? null : (cells[index] ?? null);
};

/** The commune part of an address, without its type word, for comparing spellings. */
const communeWords = (written: string) =>
  written.replace(/^\s*(xã|phường|thị trấn|tt\.?|p\.|x\.)\s*/iu, '').trim();
const typeWord = (written: string): string | null => {
  const folded = fold(written);
  if (/^(thi tran|tt)\b/.test(folded)) return 'thi tran';
  if (/^(phuong|p)\b/.test(folded)) return 'phuong';
  if (/^(xa|x)\b/.test(folded)) return 'xa';
  return null;
};

/**
 * Reads every row and checks what can be checked without writing. Each transformed value carries
 * how it was read (see matching.ts); what is not exact and unique waits for a person's decision,
 * taken once per distinct value and applied here from this import's decisions or the template's.
 * The address goes through the official conversion table (an old commune split between several
 * current ones, or one not found, is a question — never guessed). Also: the issuer's level under
 * the rule-set of the decision date, and whether committing would create, update or keep.
 */
export async function dryRunImport({ ctx, input }: Ctx & { input: { id: string } }): Promise<ImportReport> {
  const { db } = ctx.database;
  const job = await loadJob(db, ctx, input.id);
  if (job.status === 'committed' || job.status === 'committing')
    throw new AppError('CONFLICT', job.status === 'committed' ? messages.committed : messages.committing);
  checkMapping(job.mapping, job.headers);
  const province = (await getProvince(db, job.provinceCode))!;
  const [template] = await db
    .select({ decisions: importTemplates.decisions })
    .from(importTemplates)
    .where(
      and(
        eq(importTemplates.provinceCode, job.provinceCode),
        eq(importTemplates.headerSignature, headerSignature(job.headers)),
      ),
    )
    .limit(1);
  const remembered: Remembered = template?.decisions ?? {};
  const own: Remembered = job.decisions;
  const decide = (match: Match) => withDecision(match, own, remembered);
  const rows = dataRows(await readJobGrid(ctx, job), job);
  const today = localDate(new Date(), ctx.config.timeZone);
  const levelsCache = new Map<string, Levels | null>();
  const seenFingerprints = new Map<string, number>();
  const seenRefs = new Map<string, number>();
  const drafts: Draft[] = [];
  const toResolve: {
    draft: Draft;
    address: { province?: string; district?: string; commune?: string; era?: 'old' };
    spread: boolean;
  }[] = [];
  const index = await adminUnitIndex(db);
  // A candidate named with the old units it comes from, so same-named communes can be told apart:
  // "Xã Yên Mỹ — Xã Yên Mỹ, Huyện Ý Yên, Tỉnh Nam Định".
  const candidateLabel = (name: string, fromOld: readonly string[]) => {
    const places = fromOld.flatMap((code) => {
      const commune = index.oldCommunes.get(code);
      if (!commune) return [];
      const district = index.oldDistricts.get(commune.districtCode)?.name;
      const oldProvince = index.oldProvinces.get(commune.provinceCode)?.name;
      return [[commune.name, district, oldProvince].filter(Boolean).join(', ')];
    });
    return places.length ? `${name} — ${places.join('; ')}` : name;
  };
  const oldProvinceNames = [...(index.oldProvincesOfCurrent.get(job.provinceCode) ?? [])]
    .map((code) => index.oldProvinces.get(code)?.name)
    .filter((name): name is string => !!name);

  for (const { rowNumber, cells } of rows) {
    const reading = readRow(cells, job.mapping);
    const { values } = reading;
    const draft: Draft = {
      rowNumber,
      status: 'ok',
      values,
      errors: [...reading.errors],
      warnings: [...reading.warnings],
      fingerprint: rowFingerprint(values),
      sourceRef: null,
      duplicateOf: null,
      communeCode: null,
      originalAddress: null,
      candidates: [],
      matches: {},
      decision: null,
      action: null,
      certificateId: null,
    };
    drafts.push(draft);
    if (reading.empty) {
      draft.status = 'empty';
      continue;
    }
    const earlier = seenFingerprints.get(draft.fingerprint);
    if (earlier !== undefined) {
      draft.status = 'duplicate';
      draft.duplicateOf = earlier;
      draft.warnings.push({ field: 'row', code: 'duplicate' });
      continue;
    }
    seenFingerprints.set(draft.fingerprint, rowNumber);
    readValues(draft, cells, job.mapping, decide);
    const { errors, warnings } = draft;
    const sourceRef = sourceRefOf(job.provinceCode, values);
    draft.sourceRef = sourceRef;
    if (seenRefs.has(sourceRef)) errors.push({ field: 'row', code: 'conflictingDuplicate' });
    else seenRefs.set(sourceRef, rowNumber);

    if (
      (values.decisionDate && values.decisionDate > today) ||
      (values.recognitionYear && values.recognitionYear > Number(today.slice(0, 4)))
    )
      errors.push({ field: 'decisionDate', code: 'inFuture' });
    const ruleSet = ruleSetForRow(values);
    // A star still awaiting confirmation ("★★★" read as 3) is checked as read: the answer cannot
    // differ, and a refusal found only at commit would undo the whole file.
    const starMatch = draft.matches.star;
    const star =
      values.star ?? (starMatch?.value && starMatch.candidates.length === 1 ? Number(starMatch.value) : null);
    if (ruleSet && values.issuer && star !== null && star >= 3 && star <= 5) {
      const levels = await ruleSetLevels(ctx, levelsCache, ruleSet);
      const problem = levels ? issuerProblem(levels, values.issuer.level, star) : null;
      if (problem) errors.push({ field: 'issuer', code: problem });
    }
    if (values.taxCode && checkSubjectTaxCode(values.taxCode)) {
      warnings.push({ field: 'taxCode', code: 'invalidDropped' });
      values.taxCode = '';
    }
    // The subject rules (an enterprise needs its tax code…) would refuse the row at commit: say so now.
    if (values.subjectType) {
      // An enterprise without its tax code comes in incomplete (published registries carry none).
      if (!values.taxCode && subjectTypeInfo(values.subjectType)?.enterprise)
        warnings.push({ field: 'taxCode', code: 'incompleteTaxCode' });
      for (const problem of checkSubjectFacts(
        {
          type: values.subjectType,
          taxCode: values.taxCode || null,
          businessRegistrationNo: null,
          workforceTotal: null,
          workforceLocal: null,
          workforceTrained: null,
          salesChannels: [],
        },
        'import',
      ))
        errors.push({
          field: problem.path === 'type' ? 'subjectType' : 'taxCode',
          code: problem.message.split('.').pop()!,
        });
    }
    if (!values.legalRepresentative) {
      const i = warnings.findIndex((w) => w.field === 'legalRepresentative');
      if (i >= 0) warnings[i] = { field: 'legalRepresentative', code: 'placeholder' };
    }
    const parts = values.commune || values.district ? values : splitAddress(values.address);
    if (parts.commune || parts.district) {
      toResolve.push({
        draft,
        address: {
          province: parts.province || province.name,
          ...(parts.district ? { district: parts.district, era: 'old' as const } : {}),
          ...(parts.commune ? { commune: parts.commune } : {}),
        },
        // A commune with no district, in a province formed from several: it may be any of theirs.
        spread:
          !parts.district &&
          !!parts.commune &&
          (!parts.province || provinceKey(parts.province) === provinceKey(province.name)),
      });
    } else if (!errors.some((e) => e.field === 'address')) {
      errors.push({ field: 'address', code: 'unknownCommune' });
    }
  }

  for (let i = 0; i < toResolve.length; i += 500) {
    const batch = toResolve.slice(i, i + 500);
    const { results } = await resolveAddresses({ ctx, input: { addresses: batch.map((b) => b.address) } });
    // The same commune read in each old province that formed this one (only when the row names no
    // district): every unit of that name is a candidate, never the first province's alone.
    const spreadRequests = batch.flatMap((b, j) =>
      b.spread && oldProvinceNames.length > 1
        ? oldProvinceNames.map((name) => ({
            j,
            address: { province: name, commune: b.address.commune!, era: 'old' as const },
          }))
        : [],
    );
    const spread =
      spreadRequests.length > 0
        ? (await resolveAddresses({ ctx, input: { addresses: spreadRequests.map((r) => r.address) } }))
            .results
        : [];
    const readingsOf = new Map<number, ResolveResult[]>();
    spreadRequests.forEach((r, k) => {
      readingsOf.set(r.j, [...(readingsOf.get(r.j) ?? []), spread[k]!]);
    });
    // The current commune the registry writes beside the old address, read as a current unit.
    const currentRequests = batch.flatMap((b, j) =>
      b.draft.values.currentCommune
        ? [
            {
              j,
              address: {
                province: province.name,
                commune: b.draft.values.currentCommune,
                era: 'current' as const,
              },
            },
          ]
        : [],
    );
    const currentResults =
      currentRequests.length > 0
        ? (await resolveAddresses({ ctx, input: { addresses: currentRequests.map((r) => r.address) } }))
            .results
        : [];
    const currentOf = new Map(currentRequests.map((r, k) => [r.j, currentResults[k]!]));
    batch.forEach(({ draft, address }, j) => {
      const result = mergeReadings(results[j]!, readingsOf.get(j) ?? []);
      const written = address.commune ?? '';
      const key = `commune|${fold(address.province ?? '')}|${fold(address.district ?? '')}|${fold(written)}`;
      const base = { written: [written, address.district].filter(Boolean).join(', '), evidence: [], key };
      let match: Match;
      if (result.status === 'resolved' && result.current) {
        if (result.current.provinceCode !== job.provinceCode) {
          draft.errors.push({ field: 'address', code: 'otherProvince' });
          return;
        }
        const code = result.current.communeCode;
        // The unit as the registry names it: the old commune when it wrote one, else the current one.
        const named = result.matchedOld[0]?.communeName ?? result.matchedCurrent[0]?.communeName ?? '';
        const notes: string[] = [];
        if (written && named && isToneVariant(communeWords(written), communeWords(named)))
          notes.push('toneVariant');
        const writtenType = typeWord(written);
        if (writtenType && named && typeWord(named) && typeWord(named) !== writtenType)
          notes.push('typeMismatch');
        match = {
          ...base,
          // A tone-mark variant is the same name ("Thuỷ" = "Thủy"): matched, and the report says so.
          kind: 'exact',
          value: code,
          candidates: [code],
          decidable: true,
          notes,
          decision: null,
          labels: { [code]: result.current.communeName },
        };
        if (notes.includes('typeMismatch')) draft.warnings.push({ field: 'address', code: 'typeMismatch' });
        if (notes.includes('toneVariant')) draft.warnings.push({ field: 'address', code: 'toneVariant' });
      } else {
        draft.candidates = result.candidates.map(
          (c): CandidateCommune => ({
            communeCode: c.communeCode,
            communeName: c.communeName,
            provinceCode: c.provinceCode,
            provinceName: c.provinceName,
            reason: c.reason,
          }),
        );
        draft.warnings.push({
          field: 'address',
          code: result.status === 'needs_decision' ? 'severalCommunes' : 'unknownCommune',
        });
        match = {
          ...base,
          kind: result.status === 'needs_decision' ? 'synonym' : 'none',
          value: null,
          candidates: draft.candidates.map((c) => c.communeCode),
          decidable: true,
          notes: [],
          decision: null,
          labels: Object.fromEntries(
            result.candidates.map((c) => [
              c.communeCode,
              candidateLabel(c.communeName, c.fromOldCommuneCodes),
            ]),
          ),
        };
      }
      const current = currentOf.get(j);
      if (current) match = checkCurrentCommune(match, current, draft, job.provinceCode);
      match = decide(match);
      draft.matches = { ...draft.matches, commune: match };
      draft.communeCode = settledValue(match);
      if (match.decision) {
        draft.decision = {
          communeCode: match.decision.value,
          userId: match.decision.userId,
          at: match.decision.at,
        };
        if (match.kind !== 'exact') draft.warnings.push({ field: 'address', code: 'decided' });
      }
      // Written with pre-2025 units: the record keeps the address as the registry wrote it.
      if (result.matchedOld.length > 0 && result.matchedCurrent.length === 0)
        draft.originalAddress = writtenAddress(draft.values);
    });
  }

  const links = new Map(
    (await db.select().from(importLinks).where(eq(importLinks.provinceCode, job.provinceCode))).map((l) => [
      l.sourceRef,
      l,
    ]),
  );
  for (const draft of drafts) {
    if (draft.status === 'empty' || draft.status === 'duplicate') continue;
    draft.status = rowStatus(draft);
    if (draft.status === 'error') continue;
    const link = draft.sourceRef ? links.get(draft.sourceRef) : undefined;
    // A number on paper that another certificate already carries would be refused at commit.
    if (
      !link &&
      draft.values.certificateNumber &&
      (await findLatestByNumber(db, draft.values.certificateNumber))
    ) {
      draft.errors.push({ field: 'certificateNumber', code: 'taken' });
      draft.status = 'error';
      continue;
    }
    // Imported before with the same content: the commune a person chose then still stands.
    if (!draft.communeCode && link && link.fingerprint === draft.fingerprint) {
      draft.warnings.push({ field: 'address', code: 'decided' });
      draft.status = 'warning';
    }
    draft.action = !link ? 'create' : link.fingerprint === draft.fingerprint ? 'unchanged' : 'update';
  }

  const counts = countRows(drafts);
  const saved = await db.transaction(async (tx) => {
    const locked = await loadJob(tx, ctx, job.id, true);
    if (locked.status === 'committing' || locked.status === 'committed')
      throw new AppError(
        'CONFLICT',
        locked.status === 'committed' ? messages.committed : messages.committing,
      );
    await tx.delete(importRows).where(eq(importRows.jobId, job.id));
    for (let i = 0; i < drafts.length; i += 500) {
      const chunk = drafts.slice(i, i + 500);
      if (chunk.length) await tx.insert(importRows).values(chunk.map((d) => ({ ...d, jobId: job.id })));
    }
    const [after] = await tx
      .update(importJobs)
      .set({
        status: 'checked',
        counts,
        totalRows: drafts.length,
        processedRows: drafts.length,
        failure: null,
        updatedAt: new Date(),
      })
      .where(eq(importJobs.id, job.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'import.checked',
      entityType: 'import',
      entityId: job.id,
      after: counts,
    });
    return after!;
  });
  return reportOf(db, saved as JobRow);
}

/**
 * The row's class, star and decision date with how each was read; the settled values replace
 * the raw readings, and a value waiting for a person is a question rather than an error.
 */
function readValues(draft: Draft, cells: readonly Cell[], mapping: Mapping, decide: (m: Match) => Match) {
  const { values, errors, warnings } = draft;
  const matches: Matches = {};
  const dropError = (field: ImportField, code: string) => {
    const i = errors.findIndex((e) => e.field === field && e.code === code);
    if (i >= 0) errors.splice(i, 1);
  };

  const date = matchDecisionDate(cellOf(cells, mapping, 'decisionDate'));
  if (date.match.written) matches.decisionDate = date.match;
  if (date.year !== null) {
    // Only the year is known: kept as the year, the day never invented. The record comes in with
    // its validity unknown and is listed incomplete for an officer to give the decision's date.
    dropError('decisionDate', 'unreadable');
    values.recognitionYear = date.year;
    warnings.push({ field: 'decisionDate', code: 'incompleteDecisionDate' });
  }

  const star = decide(matchStar(cellOf(cells, mapping, 'star')));
  if (star.written) {
    matches.star = star;
    if (star.kind === 'none') dropError('star', 'unreadable');
    const settled = settledValue(star);
    values.star = settled === null ? null : Number(settled);
  }

  const category = decide(
    matchCategory(
      values.category,
      values.productName,
      classEraOf(values.decisionDate, date.year),
      CATALOGUE,
      classSynonyms,
    ),
  );
  matches.category = category;
  dropError('category', 'missing');
  if (category.notes.includes('oldSector')) warnings.push({ field: 'category', code: 'oldSector' });
  if (!values.decisionNumber) {
    const i = warnings.findIndex((w) => w.field === 'decisionNumber' && w.code === 'missing');
    if (i >= 0) warnings[i] = { field: 'decisionNumber', code: 'incompleteDecisionNumber' };
  }
  draft.matches = matches;
}
