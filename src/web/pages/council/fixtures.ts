/** Answers of the evaluation API for the council pages' tests (shapes as the server sends them). */
import type { User } from '../../auth';
import type {
  AdvisoryReview,
  Council,
  CouncilDossier,
  Cycle,
  Decision,
  DossierSheets,
  ResultRow,
} from '../../data/council';
import { testUser } from '../../test-utils';

export const cycleId = '11111111-1111-4111-8111-111111111111';
export const councilId = '22222222-2222-4222-8222-222222222222';
export const otherCouncilId = '22222222-2222-4222-8222-999999999999';
export const dossierId = '33333333-3333-4333-8333-333333333333';
export const tourismDossierId = '33333333-3333-4333-8333-444444444444';
export const decisionId = '44444444-4444-4444-8444-444444444444';

export const chairUser: User = {
  ...testUser,
  id: '55555555-5555-4555-8555-000000000001',
  email: 'hoidong@demo.ocop.vn',
  fullName: 'Nguyễn Văn Chủ',
  role: 'council_member',
  provinceCode: null,
};
export const memberUser: User = {
  ...chairUser,
  id: '55555555-5555-4555-8555-000000000002',
  fullName: 'Trần Thị Thành',
};
export const advisoryUser: User = {
  ...chairUser,
  id: '55555555-5555-4555-8555-000000000003',
  fullName: 'Lê Văn Tư',
};
export const adminUser: User = { ...testUser, role: 'system_admin', provinceCode: null };
export const producerUser: User = { ...testUser, role: 'producer', provinceCode: null, subjectIds: [] };

export const cycle: Cycle = {
  id: cycleId,
  level: 'province',
  provinceCode: '37',
  year: 2026,
  round: 2,
  name: 'Đánh giá, phân hạng sản phẩm OCOP tỉnh Ninh Bình năm 2026, đợt 2',
  ruleSet: {
    id: 'rs-1',
    code: '26-2026',
    revision: 1,
    name: { vi: 'Bộ tiêu chí 26/2026', en: 'Rule-set 26/2026' },
  },
  precheckRequired: true,
  submissionDeadline: '2026-11-30',
  meetingDate: '2026-12-10',
  version: 1,
  createdAt: '2026-10-01T02:00:00.000Z',
  progress: { total: 2, byState: { in_council: 2 } },
  councils: [{ id: councilId, name: 'Hội đồng cấp tỉnh 2026', memberCount: 3 }],
};

export const council: Council = {
  id: councilId,
  cycleId,
  name: 'Hội đồng cấp tỉnh 2026',
  establishedBy: 'Quyết định số 12/QĐ-UBND',
  createdAt: '2026-10-02T02:00:00.000Z',
  members: [
    {
      id: 'm-chair',
      userId: chairUser.id,
      fullName: chairUser.fullName,
      role: 'chair',
      addedAt: '2026-10-02T03:00:00.000Z',
    },
    {
      id: 'm-member',
      userId: memberUser.id,
      fullName: memberUser.fullName,
      role: 'member',
      addedAt: '2026-10-02T03:01:00.000Z',
    },
    {
      id: 'm-advisory',
      userId: advisoryUser.id,
      fullName: advisoryUser.fullName,
      role: 'advisory',
      addedAt: '2026-10-02T03:02:00.000Z',
    },
  ],
};

const dossierBase: CouncilDossier = {
  id: dossierId,
  cycleId,
  product: { id: 'p-1', name: 'Cơm cháy Hoa Lư', productSet: { scheme: '2026', code: '01' } },
  subjectId: 's-1',
  communeCode: '14329',
  provinceCode: '37',
  evaluationType: 'new',
  state: 'in_council',
  councilId,
  selfAssessmentStar: 3,
  submittedAt: '2026-11-01T02:00:00.000Z',
  updatedAt: '2026-11-20T02:00:00.000Z',
  version: 4,
};

export const dossiers: CouncilDossier[] = [
  dossierBase,
  {
    ...dossierBase,
    id: tourismDossierId,
    product: { id: 'p-2', name: 'Du lịch làng nghề Kim Sơn', productSet: { scheme: '2026', code: '26' } },
  },
];

export const sheets: DossierSheets = {
  closed: false,
  members: [
    {
      memberId: 'm-chair',
      userId: chairUser.id,
      fullName: chairUser.fullName,
      role: 'chair',
      conflicted: false,
      status: 'none',
      revision: null,
      submittedAt: null,
      answers: null,
      comments: null,
      total: null,
    },
    {
      memberId: 'm-member',
      userId: memberUser.id,
      fullName: memberUser.fullName,
      role: 'member',
      conflicted: false,
      status: 'draft',
      revision: 1,
      submittedAt: null,
      answers: null,
      comments: null,
      total: null,
    },
  ],
};

export const emptyReview: AdvisoryReview = {
  dossierId: tourismDossierId,
  fieldVisitRequired: true,
  review: null,
};

export const recordedReview: AdvisoryReview = {
  dossierId: tourismDossierId,
  fieldVisitRequired: true,
  review: {
    id: 'r-1',
    reviewNotes: 'Hồ sơ đầy đủ, sản phẩm du lịch có câu chuyện rõ.',
    fieldVisit: { date: '2026-11-25', place: 'Làng nghề Kim Sơn', findings: 'Cơ sở đón khách đạt yêu cầu.' },
    attachmentDocumentIds: ['d-1'],
    version: 2,
    recordedBy: advisoryUser.id,
    recordedAt: '2026-11-25T09:00:00.000Z',
    updatedBy: advisoryUser.id,
    updatedAt: '2026-11-26T09:00:00.000Z',
  },
};

const row: ResultRow = {
  dossierId,
  productName: 'Cơm cháy Hoa Lư',
  subjectId: 's-1',
  communeCode: '14329',
  evaluationType: 'new',
  state: 'proposed',
  resultId: 'res-1',
  valid: true,
  outcome: 'recognisable',
  sheetCount: 3,
  score: 72.5,
  finalStar: 4,
  outlierCount: 1,
  levelDecision: { certifies: 4, forwardsTo: null },
  publishedAt: null,
};

export const results: ResultRow[] = [
  row,
  {
    ...row,
    dossierId: tourismDossierId,
    productName: 'Du lịch làng nghề Kim Sơn',
    resultId: 'res-2',
    score: 93,
    finalStar: 5,
    outlierCount: 0,
    levelDecision: { certifies: null, forwardsTo: 'central' },
  },
  {
    ...row,
    dossierId: '33333333-3333-4333-8333-555555555555',
    productName: 'Rượu Kim Sơn',
    resultId: 'res-3',
    state: 'scored',
    valid: false,
    outcome: 'invalid',
    sheetCount: 1,
    score: null,
    finalStar: null,
    outlierCount: 0,
    levelDecision: { certifies: null, forwardsTo: null },
    publishedAt: '2026-12-01T02:00:00.000Z',
  },
];

export const decision: Decision = {
  id: decisionId,
  cycleId,
  issuerCode: '37',
  number: '123/QĐ-UBND',
  decisionDate: '2026-12-15',
  signerName: 'Trần Văn Minh',
  signerTitle: 'Phó Chủ tịch UBND tỉnh',
  createdAt: '2026-12-15T03:00:00.000Z',
  items: [{ dossierId, productId: 'p-1', productName: 'Cơm cháy Hoa Lư', resultId: 'res-1', star: 4 }],
};
