import { inArray } from 'drizzle-orm';
import type { RequestContext } from '../../server/context';
import { AppError } from '../../server/errors';
import { getProvince } from '../admin-units';
import type { EvaluationType } from '../evaluation';
import { getCycle, getDecision, getDossier } from '../evaluation';
import type { DecisionView } from '../evaluation/contract';
import type { DecisionCertificatesResult } from './contract';
import { canManageCertificatesIn } from './policy';
import type { IssueKind } from './rules';
import { certificates } from './schema';
import { getCertificate, issueCertificate, type Origin } from './service';

type Ctx = { ctx: RequestContext };

const ISSUE_KIND_OF: Record<EvaluationType, IssueKind> = {
  new: 'new',
  re_evaluation: 'rerecognition',
  upgrade: 'upgrade',
};

/** The certificate of one decision item: the reference that makes issuing it twice impossible. */
export const decisionItemRef = (decisionId: string, dossierId: string) =>
  `decision:${decisionId}:${dossierId}`;

/**
 * The authority named on the certificates of a decision: the province People's Committee for a
 * province cycle; for a central cycle the ministry, which since 03/2025 is Agriculture and Environment.
 */
async function issuerOf(ctx: RequestContext, decision: DecisionView, cycleYear: number) {
  if (decision.issuerCode === 'central') {
    return {
      level: 'central' as const,
      name: cycleYear >= 2025 ? 'Bộ Nông nghiệp và Môi trường' : 'Bộ Nông nghiệp và Phát triển nông thôn',
    };
  }
  const province = await getProvince(ctx.database.db, decision.issuerCode);
  return {
    level: 'province' as const,
    name: `Ủy ban nhân dân ${province?.name ?? `tỉnh ${decision.issuerCode}`}`,
  };
}

/**
 * Issues the certificates of a recognition decision: one per product it recognises, with the decision's
 * number, date, star and the cycle's rule-set (validity from the rule-set). Safe to repeat: items that
 * already have their certificate are reported, not issued again, so a failure half-way is finished by
 * running it once more.
 */
export async function issueCertificatesForDecision({
  ctx,
  input,
}: Ctx & { input: { decisionId: string } & Origin }): Promise<DecisionCertificatesResult> {
  const decision = await getDecision({ ctx, input: { id: input.decisionId } });
  const cycle = await getCycle({ ctx, input: { id: decision.cycleId } });
  const actor = ctx.actor!;
  const allowed =
    decision.issuerCode === 'central'
      ? actor.role === 'system_admin'
      : canManageCertificatesIn(actor, decision.issuerCode);
  if (!allowed) throw new AppError('FORBIDDEN');
  const issuer = await issuerOf(ctx, decision, cycle.year);
  const refs = decision.items.map((item) => decisionItemRef(decision.id, item.dossierId));
  const existing = await ctx.database.db
    .select({ id: certificates.id, sourceRef: certificates.sourceRef })
    .from(certificates)
    .where(inArray(certificates.sourceRef, refs));
  const issuedBefore = new Map(existing.map((row) => [row.sourceRef, row.id]));

  const items: DecisionCertificatesResult['items'] = [];
  for (const item of decision.items) {
    const ref = decisionItemRef(decision.id, item.dossierId);
    const before = issuedBefore.get(ref);
    if (before) {
      const certificate = await getCertificate({ ctx, input: { id: before, origin: input.origin } });
      items.push({ dossierId: item.dossierId, created: false, certificate });
      continue;
    }
    const dossier = await getDossier({ ctx, input: { id: item.dossierId } });
    const certificate = await issueCertificate({
      ctx,
      input: {
        productId: item.productId,
        star: item.star as 3 | 4 | 5,
        ruleSetCode: cycle.ruleSet.code,
        issueKind: ISSUE_KIND_OF[dossier.evaluationType],
        issuer,
        decisionNumber: decision.number,
        decisionDate: decision.decisionDate,
        source: 'decision',
        sourceRef: ref,
        origin: input.origin,
      },
    });
    items.push({ dossierId: item.dossierId, created: true, certificate });
  }
  return { decisionId: decision.id, items };
}
