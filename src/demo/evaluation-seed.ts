import { addDays } from '../modules/certificates/rules';
import {
  activateRuleSet,
  activateSheet,
  listRuleSets,
  listSheets,
  setRuleSetParameters,
} from '../modules/criteria/service';
import { addMember, createCouncil } from '../modules/evaluation/council-service';
import { localDate } from '../modules/evaluation/rules';
import { createCycle, createDossier } from '../modules/evaluation/service';
import type { RequestContext } from '../server/context';

/** The rule-set the demo evaluates under, and its illustrative sheet for product set 1 (`"demo": true`). */
const DEMO_RULE_SET = '26-2026';
const DEMO_SHEET = '26-2026.demo.1';
/**
 * The regulation does not say how many member sheets make a valid result (an [open] parameter an
 * administrator sets); the demo installation sets 3 so a council of three can be walked through.
 */
const DEMO_MINIMUM_SHEETS = 3;

export type DemoEvaluationPeople = {
  admin: RequestContext;
  province: RequestContext;
  producer: RequestContext;
  /** Council seats in order: the first is the chair. */
  councilUserIds: string[];
  /** The product the seed leaves as a draft dossier, so the producer's list is not empty. */
  draftProductId: string;
};

/**
 * The evaluation part of the demo: the 26/2026 rule-set and its demo sheet activated, a province
 * cycle open for submissions (dates relative to the day the demo is loaded), its council of three
 * and one draft dossier. Everything goes through the services, so it is audited like real work.
 */
export async function seedDemoEvaluation(people: DemoEvaluationPeople): Promise<void> {
  const { admin, province, producer } = people;
  const [draft] = (await listRuleSets({ ctx: admin, input: { code: DEMO_RULE_SET, status: 'draft' } })).items;
  if (!draft) throw new Error(`Demo: rule-set ${DEMO_RULE_SET} is not loaded as a draft.`);
  const parameterised = await setRuleSetParameters({
    ctx: admin,
    input: { id: draft.id, version: draft.version, minimumSheets: DEMO_MINIMUM_SHEETS },
  });
  await activateRuleSet({ ctx: admin, input: { id: draft.id, version: parameterised.version } });
  const sheet = (
    await listSheets({ ctx: admin, input: { ruleSetCode: DEMO_RULE_SET, status: 'draft' } })
  ).items.find((s) => s.code === DEMO_SHEET);
  if (!sheet) throw new Error(`Demo: sheet ${DEMO_SHEET} is not loaded as a draft.`);
  await activateSheet({ ctx: admin, input: { id: sheet.id, version: sheet.version } });

  const today = localDate(new Date(), province.config.timeZone);
  const deadline = addDays(today, 30);
  const cycle = await createCycle({
    ctx: province,
    input: {
      level: 'province',
      year: Number(today.slice(0, 4)),
      round: 1,
      ruleSetCode: DEMO_RULE_SET,
      name: `Đánh giá, phân hạng sản phẩm OCOP cấp tỉnh năm ${today.slice(0, 4)}, đợt 1 (demo)`,
      submissionDeadline: deadline,
      meetingDate: addDays(deadline, 10),
    },
  });
  const council = await createCouncil({
    ctx: province,
    input: {
      cycleId: cycle.id,
      name: 'Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Ninh Bình (demo)',
      establishedBy: 'Quyết định thành lập hội đồng (minh hoạ)',
    },
  });
  const seats = ['chair', 'vice_chair', 'member'] as const;
  for (const [index, userId] of people.councilUserIds.entries()) {
    await addMember({
      ctx: province,
      input: { councilId: council.id, userId, role: seats[index] ?? 'member' },
    });
  }
  await createDossier({
    ctx: producer,
    input: { cycleId: cycle.id, productId: people.draftProductId, evaluationType: 'new' },
  });
}
