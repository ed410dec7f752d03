/** API answers for the scoring page tests, in the shapes the server sends (test-only). */
import type { RuleSetView, SheetView } from '../../../modules/criteria/contract';
import type { Json } from '../../api';
import { bestAnswers, demoRuleSet, demoSheet } from '../../components/sheet/testSheet';
import type {
  DossierResult,
  DossierSheets,
  MySheet,
  ScoringCycle,
  ScoringDocuments,
  ScoringDossier,
} from '../../data/scoring';

export const dossierId = '5c7d1b8e-2f4a-4c1e-9a7b-1d2e3f4a5b6c';
export const cycleId = '0b1c2d3e-4f50-4617-8899-aabbccddeeff';
export const ruleSetId = '11111111-2222-4333-8444-555555555555';
export const sheetId = '66666666-7777-4888-9999-000000000000';
export const councilId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

export const memberIds = {
  chair: 'c0000000-0000-4000-8000-000000000001',
  m1: 'c0000000-0000-4000-8000-000000000002',
  m2: 'c0000000-0000-4000-8000-000000000003',
  m3: 'c0000000-0000-4000-8000-000000000004',
};
export const userIds = {
  chair: '00000000-0000-4000-8000-0000000000c1',
  m1: '00000000-0000-4000-8000-0000000000c2',
  m2: '00000000-0000-4000-8000-0000000000c3',
  m3: '00000000-0000-4000-8000-0000000000c4',
};

export const dossier: ScoringDossier = {
  id: dossierId,
  cycleId,
  product: {
    id: '9d9d9d9d-1111-4222-8333-444444444444',
    name: 'Rau cải Yên Mô',
    productSet: { scheme: '2026', code: '1' },
  },
  subjectId: '8f0113cd-957d-4f17-9c1b-e05bc669c72e',
  communeCode: '14329',
  provinceCode: '37',
  evaluationType: 'new',
  state: 'in_council',
  councilId,
  selfAssessmentStar: null,
  submittedAt: '2026-11-20T02:00:00.000Z',
  updatedAt: '2026-11-25T02:00:00.000Z',
  version: 7,
  sheet: { id: sheetId, code: demoSheet.code, revision: 1 },
  registrationForm: {},
  selfAssessment: {
    answers: {},
    answered: 0,
    criteria: 0,
    complete: false,
    parts: {},
    total: 0,
    star: null,
    outcome: null,
  },
  checklist: [
    {
      code: 'form01',
      label: { vi: 'Phiếu đăng ký (Mẫu 01)', en: 'Registration form' },
      required: true,
      documentCount: 1,
    },
    {
      code: 'vietgap',
      label: { vi: 'Chứng nhận VietGAP', en: 'VietGAP certificate' },
      required: false,
      documentCount: 1,
    },
  ],
  documents: [
    {
      id: 'd0000000-0000-4000-8000-000000000001',
      checklistCode: 'form01',
      fileName: 'mau-01.pdf',
      mimeType: 'application/pdf',
      bytes: 120_000,
      sha256: 'a'.repeat(64),
      uploadedAt: '2026-11-19T02:00:00.000Z',
    },
    {
      id: 'd0000000-0000-4000-8000-000000000002',
      checklistCode: 'vietgap',
      fileName: 'vietgap.jpg',
      mimeType: 'image/jpeg',
      bytes: 220_000,
      sha256: 'b'.repeat(64),
      uploadedAt: '2026-11-19T02:05:00.000Z',
    },
  ],
  transitions: [],
  actions: [],
  createdAt: '2026-11-18T02:00:00.000Z',
};

export const cycle: ScoringCycle = {
  id: cycleId,
  level: 'province',
  provinceCode: '37',
  year: 2026,
  round: 2,
  name: 'Đánh giá cấp tỉnh 2026, đợt 2',
  ruleSet: { id: ruleSetId, code: '26-2026', revision: 1, name: { vi: 'Bộ tiêu chí 26/2026' } },
  precheckRequired: true,
  submissionDeadline: '2026-11-30',
  meetingDate: '2026-12-05',
  version: 1,
  createdAt: '2026-11-01T02:00:00.000Z',
  progress: { total: 1, byState: { in_council: 1 } },
  councils: [{ id: councilId, name: 'Hội đồng tỉnh', memberCount: 4 }],
};

const lifecycle = {
  revision: 1,
  status: 'active' as const,
  errorCount: 0,
  warningCount: 0,
  contentHash: 'c'.repeat(64),
  version: 2,
  createdAt: '2026-10-01T02:00:00.000Z',
  activatedAt: '2026-10-02T02:00:00.000Z',
  retiredAt: null,
};

export const ruleSetView: Json<RuleSetView> = {
  id: ruleSetId,
  code: '26-2026',
  ...lifecycle,
  name: { vi: 'Bộ tiêu chí 26/2026' },
  legalBasis: ['26/2026/QĐ-TTg'],
  inForce: { from: '2026', to: null },
  taxonomyScheme: '2026',
  document: demoRuleSet,
  problems: [],
};

export const sheetView: Json<SheetView> = {
  id: sheetId,
  code: demoSheet.code,
  ...lifecycle,
  ruleSetCode: '26-2026',
  productSet: { scheme: '2026', code: '1', name: { vi: 'Rau, củ, quả, hạt tươi' } },
  title: demoSheet.title,
  demo: true,
  validatedAgainst: ruleSetId,
  document: demoSheet,
  problems: [],
};

export function mySheet(overrides: Partial<MySheet> = {}): MySheet {
  return {
    dossierId,
    member: { id: memberIds.m1, role: 'member' },
    sheet: { id: sheetId, code: demoSheet.code, revision: 1, document: demoSheet },
    id: null,
    revision: 1,
    status: 'draft',
    answers: {},
    comments: {},
    parts: { A: 0, B: 0, C: 0 },
    total: 0,
    answered: 0,
    criteria: 19,
    previousId: null,
    reopenReason: null,
    submittedAt: null,
    ...overrides,
  };
}

/** A complete sheet: best options except the listed criteria, which take their lowest option. */
export function answersLowering(codes: readonly string[]): Record<string, string> {
  const answers = bestAnswers();
  for (const code of codes) answers[code] = `${code}.a`;
  return answers;
}

const people = [
  { key: 'chair', fullName: 'Nguyễn Văn Chủ', role: 'chair' },
  { key: 'm1', fullName: 'Trần Thị Một', role: 'member' },
  { key: 'm2', fullName: 'Lê Văn Hai', role: 'vice_chair' },
  { key: 'm3', fullName: 'Phạm Thị Ba', role: 'member' },
] as const;

export function sheetsOpen(): DossierSheets {
  return {
    closed: false,
    members: people.map((p, i) => ({
      memberId: memberIds[p.key],
      userId: userIds[p.key],
      fullName: p.fullName,
      role: p.role,
      conflicted: p.key === 'm3',
      status: i === 0 ? 'submitted' : i === 1 ? 'draft' : i === 2 ? 'submitted' : 'none',
      revision: i === 3 ? null : 1,
      submittedAt: i === 0 || i === 2 ? '2026-12-05T03:00:00.000Z' : null,
      answers: null,
      comments: null,
      total: null,
    })),
  };
}

export const totals = { chair: 95, m1: 75, m2: 55 };
const lowered = {
  chair: ['C3.2'],
  m1: ['C3.2', 'C1.2', 'B1.2'],
  m2: ['C3.2', 'C1.2', 'B1.2', 'B1.1', 'A2.1'],
};

export function sheetsClosed(): DossierSheets {
  return {
    closed: true,
    members: people.map((p) => ({
      memberId: memberIds[p.key],
      userId: userIds[p.key],
      fullName: p.fullName,
      role: p.role,
      conflicted: p.key === 'm3',
      status: p.key === 'm3' ? 'none' : 'submitted',
      revision: p.key === 'm3' ? null : 1,
      submittedAt: p.key === 'm3' ? null : '2026-12-05T03:00:00.000Z',
      answers: p.key === 'm3' ? null : answersLowering(lowered[p.key]),
      comments:
        p.key === 'chair'
          ? { general: 'Sản phẩm tốt', criteria: { 'A1.1': 'Vùng trồng ổn định' } }
          : p.key === 'm3'
            ? null
            : {},
      total: p.key === 'm3' ? null : totals[p.key],
    })),
  };
}

export const result: DossierResult = {
  id: 'e0000000-0000-4000-8000-000000000001',
  dossierId,
  sequence: 1,
  supersedesId: null,
  valid: true,
  outcome: 'recognisable',
  sheetCount: 3,
  minimumSheets: 3,
  exactMean: 75,
  score: 75,
  scoreStar: 4,
  requirementCap: 5,
  finalStar: 4,
  disqualifiers: [],
  partMeans: { A: 30, B: 18, C: 27 },
  requirements: [{ criterionCode: 'A1.3', star: 4, minPoints: 2, met: true, metCount: 3, sheetCount: 3 }],
  spread: [
    { criterionCode: 'A1.1', partCode: 'A', min: 5, max: 5, mean: 5 },
    { criterionCode: 'C3.2', partCode: 'C', min: 0, max: 5, mean: 2.33 },
  ],
  members: [
    { memberId: memberIds.chair, total: 95, parts: { A: 40, B: 25, C: 30 }, outlier: true },
    { memberId: memberIds.m1, total: 75, parts: { A: 30, B: 20, C: 25 }, outlier: false },
    { memberId: memberIds.m2, total: 55, parts: { A: 20, B: 10, C: 25 }, outlier: true },
  ],
  levelDecision: { certifies: 4, forwardsTo: null },
  computedAt: '2026-12-05T04:00:00.000Z',
  publishedAt: null,
};

/** The dossier's frozen sheet and rule-set, as `/evaluation/dossiers/:id/scoring-documents` answers. */
export const scoringDocuments: ScoringDocuments = { sheet: demoSheet, ruleSet: demoRuleSet };
