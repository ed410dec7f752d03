import sharp from 'sharp';
import { addDays, issueCertificatesForDecision } from '../modules/certificates';
import type { Criterion, Sheet } from '../modules/criteria';
import {
  activateRuleSet,
  activateSheet,
  findActiveSheet,
  listRuleSets,
  listSheets,
  setRuleSetParameters,
} from '../modules/criteria';
import {
  addDocument,
  addMember,
  assignDossier,
  closeScoring,
  createCouncil,
  createCycle,
  createDecision,
  createDossier,
  publishResults,
  saveMySheet,
  saveRegistrationForm,
  saveSelfAssessment,
  submitMySheet,
  transitionDossier,
} from '../modules/evaluation';
import type { RequestContext } from '../server/context';
import { localDate } from '../shared/dates';

/** The rule-set the demo evaluates under, and its illustrative sheet for product set 1 (`"demo": true`). */
const DEMO_RULE_SET = '26-2026';
const DEMO_SHEET = '26-2026.demo.1';
const DEMO_PRODUCT_SET = '1';
/** The invented members' totals: a mean of 80.67, a 4★ product (which the province certifies). */
const MEMBER_TOTALS = [84, 80, 78];
/**
 * The regulation does not say how many member sheets make a valid result (an [open] parameter an
 * administrator sets); the demo installation sets 3 so a council of three can be walked through.
 */
const DEMO_MINIMUM_SHEETS = 3;

export type DemoEvaluationPeople = {
  admin: RequestContext;
  province: RequestContext;
  commune: RequestContext;
  producer: RequestContext;
  /** The council's members acting, in seat order: the first is the chair. */
  council: RequestContext[];
  /** The product the seed takes through the whole procedure to a certificate. */
  recognisedProductId: string;
};

/** Every leaf criterion of a sheet, with its options best first. */
function leafCriteria(sheet: Sheet): Criterion[] {
  const leaves: Criterion[] = [];
  const walk = (criteria: Criterion[]) => {
    for (const criterion of criteria) {
      if (criterion.criteria?.length) walk(criterion.criteria);
      else
        leaves.push({
          ...criterion,
          options: [...(criterion.options ?? [])].sort((a, b) => b.points - a.points),
        });
    }
  };
  for (const part of sheet.parts) for (const group of part.groups) walk(group.criteria);
  return leaves;
}

/**
 * Invented answers worth `target` points: the best option everywhere, then options lowered on the
 * criteria that carry no star requirement until the total comes down to the target.
 */
function demoAnswers(sheet: Sheet, target: number): Record<string, string> {
  const leaves = leafCriteria(sheet);
  let reduce = leaves.reduce((sum, leaf) => sum + leaf.options![0]!.points, 0) - target;
  const answers: Record<string, string> = {};
  for (const leaf of leaves) {
    const options = leaf.options!;
    const best = options[0]!;
    const marked = leaf.requiredForStar !== undefined || options.some((o) => o.requiredForStar !== undefined);
    const chosen = marked ? best : (options.findLast((o) => best.points - o.points <= reduce) ?? best);
    reduce -= best.points - chosen.points;
    answers[leaf.code] = chosen.code;
  }
  return answers;
}

/** A one-page picture standing in for a scanned document of the dossier (documents accept images). */
function demoScan(title: string): Promise<Buffer> {
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="595" height="842">
    <rect width="595" height="842" fill="#ffffff"/>
    <text x="48" y="96" font-family="sans-serif" font-size="22" font-weight="700" fill="#111827">${escaped}</text>
    <text x="48" y="136" font-family="sans-serif" font-size="16" fill="#4b5563">Tài liệu minh hoạ của bản demo, không có giá trị pháp lý</text>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
}

/**
 * The evaluation part of the demo: the 26/2026 rule-set and its demo sheet activated, a province
 * cycle open for submissions (dates relative to the day the demo is loaded), its council of three,
 * and one product taken all the way to a recognition decision and its certificate. Everything goes
 * through the services, so it is audited like real work.
 */
export async function seedDemoEvaluation(people: DemoEvaluationPeople): Promise<void> {
  const { admin, province } = people;
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
  for (const [index, member] of people.council.entries()) {
    await addMember({
      ctx: province,
      input: { councilId: council.id, userId: member.actor!.userId, role: seats[index] ?? 'member' },
    });
  }
  await walkToCertificate(people, cycle.id, council.id, today);
}

/**
 * One dossier through the whole procedure, as the people of the demo would do it: the producer
 * completes and submits it, the commune pre-checks, the province accepts and assigns it, three
 * members score, the chair closes, the province proposes, publishes, decides and issues the certificate.
 */
async function walkToCertificate(
  people: DemoEvaluationPeople,
  cycleId: string,
  councilId: string,
  today: string,
) {
  const { province, producer, commune, council } = people;
  const draft = await createDossier({
    ctx: producer,
    input: { cycleId, productId: people.recognisedProductId, evaluationType: 'new' },
  });
  const withForm = await saveRegistrationForm({
    ctx: producer,
    input: {
      id: draft.id,
      version: draft.version,
      form: {
        applicantName: 'Phạm Thị Thu Hà',
        applicantPosition: 'Giám đốc hợp tác xã',
        phone: '0912 345 678',
        productName: draft.product.name,
        annualOutput: '40 tấn/năm',
        markets: 'Siêu thị trong tỉnh, chợ đầu mối',
      },
    },
  });
  const sheet = (await findActiveSheet(producer.database.db, DEMO_RULE_SET, DEMO_PRODUCT_SET))!.document;
  await saveSelfAssessment({
    ctx: producer,
    input: { id: draft.id, version: withForm.version, answers: demoAnswers(sheet, 82) },
  });
  for (const item of draft.checklist.filter((i) => i.required)) {
    await addDocument({
      ctx: producer,
      input: {
        dossierId: draft.id,
        item: item.code,
        fileName: `${item.code}.jpg`,
        data: await demoScan(item.label.vi),
      },
    });
  }
  await transitionDossier({ ctx: producer, input: { id: draft.id, action: 'submit', body: {} } });
  await transitionDossier({ ctx: commune, input: { id: draft.id, action: 'precheck', body: {} } });
  await transitionDossier({ ctx: province, input: { id: draft.id, action: 'accept', body: {} } });
  await assignDossier({ ctx: province, input: { id: draft.id, councilId } });
  for (const [index, member] of council.entries()) {
    await saveMySheet({
      ctx: member,
      input: { dossierId: draft.id, answers: demoAnswers(sheet, MEMBER_TOTALS[index] ?? 80) },
    });
    await submitMySheet({ ctx: member, input: { dossierId: draft.id } });
  }
  const result = await closeScoring({ ctx: council[0]!, input: { dossierId: draft.id, disqualifiers: [] } });
  await transitionDossier({ ctx: province, input: { id: draft.id, action: 'propose', body: {} } });
  await publishResults({ ctx: province, input: { cycleId } });
  const decision = await createDecision({
    ctx: province,
    input: {
      cycleId,
      number: `${today.slice(0, 4)}/QĐ-UBND (demo)`,
      decisionDate: today,
      signerName: 'Nguyễn Văn An (demo)',
      signerTitle: 'Phó Chủ tịch Ủy ban nhân dân tỉnh',
      items: [{ dossierId: draft.id, star: result.finalStar as 3 | 4 | 5 }],
    },
  });
  await issueCertificatesForDecision({ ctx: province, input: { decisionId: decision.id } });
}
