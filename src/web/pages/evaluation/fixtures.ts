/** Answers shaped as the evaluation API sends them, for the evaluation page tests. */
import type { User } from '../../auth';
import type { Cycle, Dossier, DossierRow, RuleSetOption } from '../../data/evaluation';
import { productRow } from '../../test-fixtures';

export const cycle: Cycle = {
  id: '5d1c7a52-8a3e-4b8f-9f57-0b1c2d3e4f50',
  level: 'province',
  provinceCode: '37',
  year: 2026,
  round: 2,
  name: 'Cấp tỉnh năm 2026, đợt 2',
  ruleSet: {
    id: 'a1b2c3d4-0000-4000-8000-000000000026',
    code: '26-2026',
    revision: 1,
    name: { vi: 'Bộ tiêu chí theo Quyết định 26/2026/QĐ-TTg', en: 'Criteria under Decision 26/2026/QĐ-TTg' },
  },
  precheckRequired: true,
  submissionDeadline: '2099-06-30',
  meetingDate: '2099-07-15',
  version: 1,
  createdAt: '2026-11-20T02:00:00.000Z',
  progress: { total: 3, byState: { draft: 1, submitted: 1, recognised: 1 } },
  councils: [
    { id: '7e0c1f2a-1111-4222-8333-444455556666', name: 'Hội đồng OCOP tỉnh Ninh Bình', memberCount: 5 },
  ],
};

export const ruleSetOption: RuleSetOption = {
  id: cycle.ruleSet.id,
  code: '26-2026',
  revision: 1,
  status: 'active',
  errorCount: 0,
  warningCount: 0,
  contentHash: 'abc',
  version: 2,
  createdAt: '2026-11-01T00:00:00.000Z',
  activatedAt: '2026-11-02T00:00:00.000Z',
  retiredAt: null,
  name: cycle.ruleSet.name,
  legalBasis: ['26/2026/QĐ-TTg'],
  inForce: { from: '2026-05-22', to: null },
  taxonomyScheme: '2026',
};

export const dossierRow: DossierRow = {
  id: '0f9e8d7c-6b5a-4948-8372-615243342516',
  cycleId: cycle.id,
  product: { id: productRow.id, name: productRow.name, productSet: { scheme: '2026', code: '6' } },
  subjectId: productRow.subject.id,
  communeCode: '13324',
  provinceCode: '37',
  evaluationType: 'new',
  state: 'draft',
  councilId: null,
  selfAssessmentStar: null,
  submittedAt: null,
  updatedAt: '2026-11-21T03:00:00.000Z',
  version: 3,
};

export const producer: User = {
  id: '00000000-0000-4000-8000-000000000005',
  email: 'chuthe@demo.ocop.vn',
  fullName: 'Phạm Thị Thu Hà',
  role: 'producer',
  provinceCode: null,
  communeCode: null,
  subjectIds: [productRow.subject.id],
  active: true,
  mustChangePassword: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLoginAt: null,
};

export const dossier: Dossier = {
  ...dossierRow,
  sheet: { id: 'b0b0b0b0-0000-4000-8000-000000000006', code: '26-2026-6', revision: 1 },
  registrationForm: {},
  selfAssessment: {
    answers: {},
    answered: 12,
    criteria: 30,
    complete: false,
    parts: { A: 20 },
    total: 20,
    star: null,
    outcome: null,
  },
  checklist: [
    {
      code: 'registration',
      label: { vi: 'Giấy đăng ký kinh doanh', en: 'Business registration' },
      required: true,
      documentCount: 1,
    },
    {
      code: 'awards',
      label: { vi: 'Giải thưởng', en: 'Awards' },
      required: false,
      documentCount: 0,
    },
  ],
  documents: [
    {
      id: 'd0c00000-0000-4000-8000-000000000001',
      checklistCode: 'registration',
      fileName: 'dang-ky-kinh-doanh.pdf',
      mimeType: 'application/pdf',
      bytes: 20480,
      sha256: 'ff',
      uploadedAt: '2026-11-21T03:10:00.000Z',
    },
  ],
  transitions: [
    {
      action: 'create',
      fromState: null,
      toState: 'draft',
      actorId: producer.id,
      actorName: producer.fullName,
      at: '2026-11-21T03:00:00.000Z',
      reason: null,
    },
  ],
  actions: ['submit', 'withdraw'],
  createdAt: '2026-11-21T03:00:00.000Z',
};
