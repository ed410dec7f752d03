import { and, desc, inArray, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { DossierState } from './rules';
import { evaluationDossiers } from './schema';

/**
 * A read for the certificates module's re-evaluation queue: the latest live re-evaluation dossier
 * of each product (withdrawn ones do not count), so an officer sees who has started theirs.
 * Unscoped on purpose: the caller has already limited the products to the officer's area.
 */
export type ReEvaluationDossierFact = {
  id: string;
  cycleId: string;
  state: DossierState;
  createdAt: Date;
};

export async function latestReEvaluationDossiers(
  db: DbOrTx,
  productIds: readonly string[],
): Promise<Map<string, ReEvaluationDossierFact>> {
  const result = new Map<string, ReEvaluationDossierFact>();
  if (productIds.length === 0) return result;
  const rows = await db
    .select({
      id: evaluationDossiers.id,
      productId: evaluationDossiers.productId,
      cycleId: evaluationDossiers.cycleId,
      state: evaluationDossiers.state,
      createdAt: evaluationDossiers.createdAt,
    })
    .from(evaluationDossiers)
    .where(
      and(
        inArray(evaluationDossiers.productId, [...productIds]),
        inArray(evaluationDossiers.evaluationType, ['re_evaluation']),
        ne(evaluationDossiers.state, 'withdrawn'),
      ),
    )
    .orderBy(desc(evaluationDossiers.createdAt));
  for (const row of rows) {
    if (!result.has(row.productId))
      result.set(row.productId, {
        id: row.id,
        cycleId: row.cycleId,
        state: row.state as DossierState,
        createdAt: row.createdAt,
      });
  }
  return result;
}
