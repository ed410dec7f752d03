import { z } from 'zod';
import { requiredText, text } from '../../shared/fields';
import { codeSchema, type RuleSet, type Sheet } from '../criteria/contract';
import {
  COUNCIL_ROLES,
  CYCLE_LEVELS,
  DOCUMENT_TYPES,
  DOSSIER_ACTIONS,
  DOSSIER_STATES,
  EVALUATION_TYPES,
  FIRST_CYCLE_YEAR,
} from './rules';

/**
 * Shapes of the evaluation API (/api/v1/evaluation), shared with the web app: no server imports.
 * Request bodies are strict, so an unknown field is refused by name.
 */

const isoDate = z.iso.date();
const id = z.string().uuid();
const version = z.number().int().min(1);
const localizedView = z.object({ vi: z.string(), en: z.string().optional() });
const star = z.number().int().min(1).max(5);

// ---------------------------------------------------------------- cycles

export const createCycleBody = z.strictObject({
  level: z.enum(CYCLE_LEVELS),
  year: z.number().int().min(FIRST_CYCLE_YEAR).max(2100),
  round: z.number().int().min(1).max(12),
  /** The rule-set whose active revision the cycle freezes. */
  ruleSetCode: codeSchema,
  /** A province officer's own province when omitted; required from a system administrator except for central cycles. */
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, { message: 'adminUnits.provinceCode' })
    .nullish(),
  name: text(300).optional(),
  submissionDeadline: isoDate,
  meetingDate: isoDate.nullish(),
});
export type CreateCycleInput = z.infer<typeof createCycleBody>;

export const listCyclesQuery = z.strictObject({
  year: z.coerce.number().int().min(FIRST_CYCLE_YEAR).max(2100).optional(),
  level: z.enum(CYCLE_LEVELS).optional(),
});
export type ListCyclesQuery = z.infer<typeof listCyclesQuery>;

export const councilSummary = z.object({ id: z.string(), name: z.string(), memberCount: z.number().int() });

export const cycleView = z.object({
  id: z.string(),
  level: z.enum(CYCLE_LEVELS),
  provinceCode: z.string().nullable(),
  year: z.number().int(),
  round: z.number().int(),
  name: z.string(),
  ruleSet: z.object({ id: z.string(), code: z.string(), revision: z.number().int(), name: localizedView }),
  precheckRequired: z.boolean(),
  submissionDeadline: z.string(),
  meetingDate: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  /** Dossiers per state (withdrawn included) and in all, among those the caller may open (all of them for the province). */
  progress: z.object({ total: z.number().int(), byState: z.record(z.string(), z.number().int()) }),
  councils: z.array(councilSummary),
});
export type CycleView = z.infer<typeof cycleView>;
export const cycleList = z.object({ items: z.array(cycleView) });

// ---------------------------------------------------------------- dossiers

export const createDossierBody = z.strictObject({
  productId: id,
  evaluationType: z.enum(EVALUATION_TYPES),
});
export type CreateDossierInput = z.infer<typeof createDossierBody>;

/** Mẫu 01, the registration form: what the producer declares about the applicant and the product. */
export const registrationForm = z.strictObject({
  applicantName: requiredText(200),
  applicantPosition: text(200).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 .-]{8,20}$/, { message: 'phone.format' }),
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email({ message: 'email.format' }))
    .optional(),
  productName: requiredText(300),
  productDescription: text(4000).optional(),
  annualOutput: text(300).optional(),
  markets: text(1000).optional(),
  notes: text(2000).optional(),
});
export type RegistrationFormInput = z.infer<typeof registrationForm>;

export const registrationFormBody = z.strictObject({ version, form: registrationForm });

/** Chosen option code per leaf criterion code. */
export const answersSchema = z
  .record(codeSchema, codeSchema)
  .refine((answers) => Object.keys(answers).length <= 1000, { message: 'evaluation.answers.tooMany' });

export const selfAssessmentBody = z.strictObject({ version, answers: answersSchema });

export const transitionBody = z
  .strictObject({
    /** The version the caller saw: a changed dossier answers 409 STALE instead of moving. */
    version: version.optional(),
    reason: text(2000).optional(),
  })
  .nullish();
export type TransitionInput = z.infer<typeof transitionBody>;

export const assignBody = z.strictObject({ version: version.optional(), councilId: id });

export const listDossiersQuery = z.strictObject({
  state: z.enum(DOSSIER_STATES).optional(),
  evaluationType: z.enum(EVALUATION_TYPES).optional(),
  communeCode: z
    .string()
    .regex(/^\d{5}$/, { message: 'adminUnits.communeCode' })
    .optional(),
  councilId: id.optional(),
  q: text(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListDossiersQuery = z.infer<typeof listDossiersQuery>;

export const documentView = z.object({
  id: z.string(),
  checklistCode: z.string(),
  fileName: z.string(),
  mimeType: z.enum(DOCUMENT_TYPES),
  bytes: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.date(),
});
export type DocumentView = z.infer<typeof documentView>;

export const documentUploadQuery = z.strictObject({ item: codeSchema });
export const documentParams = z.object({ id, documentId: id });

const selfAssessmentView = z.object({
  answers: z.record(z.string(), z.string()),
  answered: z.number().int(),
  criteria: z.number().int(),
  complete: z.boolean(),
  parts: z.record(z.string(), z.number()),
  total: z.number(),
  star: star.nullable(),
  outcome: z.string().nullable(),
});

export const transitionView = z.object({
  action: z.string(),
  fromState: z.enum(DOSSIER_STATES).nullable(),
  toState: z.enum(DOSSIER_STATES),
  actorId: z.string().nullable(),
  /** The actor's name as their account has it, for the dossier's history. */
  actorName: z.string().nullable(),
  at: z.date(),
  reason: z.string().nullable(),
});

export const dossierListItem = z.object({
  id: z.string(),
  cycleId: z.string(),
  product: z.object({
    id: z.string(),
    name: z.string(),
    productSet: z.object({ scheme: z.string(), code: z.string() }),
  }),
  subjectId: z.string(),
  communeCode: z.string(),
  provinceCode: z.string(),
  evaluationType: z.enum(EVALUATION_TYPES),
  state: z.enum(DOSSIER_STATES),
  councilId: z.string().nullable(),
  selfAssessmentStar: star.nullable(),
  submittedAt: z.date().nullable(),
  updatedAt: z.date(),
  version: z.number().int(),
});
export type DossierListItem = z.infer<typeof dossierListItem>;

export const dossierView = dossierListItem.extend({
  sheet: z.object({ id: z.string(), code: z.string(), revision: z.number().int() }),
  registrationForm: z.record(z.string(), z.unknown()),
  selfAssessment: selfAssessmentView,
  checklist: z.array(
    z.object({
      code: z.string(),
      label: z.object({ vi: z.string(), en: z.string() }),
      required: z.boolean(),
      documentCount: z.number().int(),
    }),
  ),
  documents: z.array(documentView),
  transitions: z.array(transitionView),
  /** What the caller may do now (buttons). */
  actions: z.array(z.enum(DOSSIER_ACTIONS)),
  createdAt: z.date(),
});
export type DossierView = z.infer<typeof dossierView>;

/** What a sheet is scored against: the dossier's frozen sheet and rule-set, for anyone who may read the dossier. */
export const scoringDocumentsView = z.object({ sheet: z.custom<Sheet>(), ruleSet: z.custom<RuleSet>() });
export type ScoringDocumentsView = z.infer<typeof scoringDocumentsView>;

export const dossierPage = z.object({
  items: z.array(dossierListItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** A producer's own dossiers across cycles (GET /evaluation/my-dossiers), newest first. */
export const listMyDossiersQuery = z.strictObject({
  state: z.enum(DOSSIER_STATES).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListMyDossiersQuery = z.infer<typeof listMyDossiersQuery>;

export const myDossierItem = dossierListItem.extend({
  cycle: z.object({
    id: z.string(),
    name: z.string(),
    level: z.enum(CYCLE_LEVELS),
    year: z.number().int(),
    round: z.number().int(),
    submissionDeadline: z.string(),
  }),
});
export type MyDossierItem = z.infer<typeof myDossierItem>;

export const myDossierPage = z.object({
  items: z.array(myDossierItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

// ---------------------------------------------------------------- councils

export const createCouncilBody = z.strictObject({
  name: requiredText(300),
  establishedBy: text(200).optional(),
});

export const addMemberBody = z.strictObject({ userId: id, role: z.enum(COUNCIL_ROLES) });

export const councilMemberView = z.object({
  id: z.string(),
  userId: z.string(),
  fullName: z.string(),
  role: z.enum(COUNCIL_ROLES),
  addedAt: z.date(),
});

export const councilView = z.object({
  id: z.string(),
  cycleId: z.string(),
  name: z.string(),
  establishedBy: z.string().nullable(),
  createdAt: z.date(),
  members: z.array(councilMemberView),
});
export type CouncilView = z.infer<typeof councilView>;

export const conflictBody = z.strictObject({ reason: requiredText(2000) });
export const conflictView = z.object({
  id: z.string(),
  dossierId: z.string(),
  memberId: z.string(),
  reason: z.string(),
  declaredAt: z.date(),
});

// ---------------------------------------------------------------- scoring

export const sheetComments = z.strictObject({
  general: text(4000).optional(),
  criteria: z
    .record(codeSchema, text(2000))
    .refine((c) => Object.keys(c).length <= 1000, { message: 'evaluation.answers.tooMany' })
    .optional(),
});

export const saveSheetBody = z.strictObject({ answers: answersSchema, comments: sheetComments.optional() });
export type SaveSheetInput = z.infer<typeof saveSheetBody>;

const SHEET_STATUSES = ['draft', 'submitted'] as const;

export const mySheetView = z.object({
  dossierId: z.string(),
  member: z.object({ id: z.string(), role: z.enum(COUNCIL_ROLES) }),
  /** The scoring sheet of the dossier's product set under the cycle's frozen rule-set. */
  sheet: z.object({
    id: z.string(),
    code: z.string(),
    revision: z.number().int(),
    document: z.custom<Sheet>(),
  }),
  /** Null until the member first saves. */
  id: z.string().nullable(),
  revision: z.number().int(),
  status: z.enum(SHEET_STATUSES),
  answers: z.record(z.string(), z.string()),
  comments: z.object({
    general: z.string().optional(),
    criteria: z.record(z.string(), z.string()).optional(),
  }),
  parts: z.record(z.string(), z.number()),
  total: z.number(),
  answered: z.number().int(),
  criteria: z.number().int(),
  previousId: z.string().nullable(),
  reopenReason: z.string().nullable(),
  submittedAt: z.date().nullable(),
});
export type MySheetView = z.infer<typeof mySheetView>;

export const memberSheetView = z.object({
  memberId: z.string(),
  userId: z.string(),
  fullName: z.string(),
  role: z.enum(COUNCIL_ROLES),
  conflicted: z.boolean(),
  status: z.enum(['none', ...SHEET_STATUSES]),
  revision: z.number().int().nullable(),
  submittedAt: z.date().nullable(),
  /** Only once scoring is closed. */
  answers: z.record(z.string(), z.string()).nullable(),
  comments: z
    .object({ general: z.string().optional(), criteria: z.record(z.string(), z.string()).optional() })
    .nullable(),
  total: z.number().nullable(),
});
export const dossierSheetsView = z.object({ closed: z.boolean(), members: z.array(memberSheetView) });

export const closeScoringBody = z
  .strictObject({
    /** Codes of the sheet's disqualifying conditions the council found to apply. */
    disqualifiers: z.array(codeSchema).max(50).optional(),
  })
  .nullish();
export const reopenSheetBody = z.strictObject({ memberId: id, reason: requiredText(2000) });
export const reopenScoringBody = z.strictObject({ reason: requiredText(2000) });

// ---------------------------------------------------------------- results and decisions

export const resultView = z.object({
  id: z.string(),
  dossierId: z.string(),
  sequence: z.number().int(),
  supersedesId: z.string().nullable(),
  valid: z.boolean(),
  outcome: z.string(),
  sheetCount: z.number().int(),
  minimumSheets: z.number().int(),
  exactMean: z.number().nullable(),
  score: z.number().nullable(),
  scoreStar: star.nullable(),
  requirementCap: star,
  finalStar: star.nullable(),
  disqualifiers: z.array(z.string()),
  partMeans: z.record(z.string(), z.number()),
  requirements: z.array(
    z.object({
      criterionCode: z.string(),
      star: z.number().int(),
      minPoints: z.number(),
      met: z.boolean(),
      metCount: z.number().int(),
      sheetCount: z.number().int(),
    }),
  ),
  spread: z.array(
    z.object({
      criterionCode: z.string(),
      partCode: z.string(),
      min: z.number(),
      max: z.number(),
      mean: z.number(),
    }),
  ),
  /** Member totals with the outlier flag; empty for the producer and the commune. */
  members: z.array(
    z.object({
      memberId: z.string(),
      total: z.number(),
      parts: z.record(z.string(), z.number()),
      outlier: z.boolean(),
    }),
  ),
  levelDecision: z.object({ certifies: star.nullable(), forwardsTo: z.string().nullable() }),
  computedAt: z.date(),
  publishedAt: z.date().nullable(),
});
export type ResultView = z.infer<typeof resultView>;

export const cycleResultRow = z.object({
  dossierId: z.string(),
  productName: z.string(),
  subjectId: z.string(),
  communeCode: z.string(),
  evaluationType: z.enum(EVALUATION_TYPES),
  state: z.enum(DOSSIER_STATES),
  resultId: z.string(),
  valid: z.boolean(),
  outcome: z.string(),
  sheetCount: z.number().int(),
  score: z.number().nullable(),
  finalStar: star.nullable(),
  outlierCount: z.number().int(),
  levelDecision: z.object({ certifies: star.nullable(), forwardsTo: z.string().nullable() }),
  publishedAt: z.date().nullable(),
});
export const cycleResults = z.object({ items: z.array(cycleResultRow) });

/** What the chair's closing of a whole council returns: how many dossiers closed and each one's result in brief. */
export const councilClosingView = z.object({
  closed: z.number().int(),
  items: z.array(
    z.object({
      dossierId: z.string(),
      productName: z.string(),
      resultId: z.string(),
      valid: z.boolean(),
      outcome: z.string(),
      sheetCount: z.number().int(),
      score: z.number().nullable(),
      finalStar: star.nullable(),
      outlierCount: z.number().int(),
    }),
  ),
});
export type CouncilClosingView = z.infer<typeof councilClosingView>;

export const publishResult = z.object({ published: z.number().int() });

export const createDecisionBody = z.strictObject({
  number: requiredText(100),
  decisionDate: isoDate,
  signerName: requiredText(200),
  signerTitle: requiredText(200),
  items: z
    .array(z.strictObject({ dossierId: id, star: z.number().int().min(3).max(5) }))
    .min(1)
    .max(2000),
});
export type CreateDecisionInput = z.infer<typeof createDecisionBody>;

export const decisionView = z.object({
  id: z.string(),
  cycleId: z.string(),
  issuerCode: z.string(),
  number: z.string(),
  decisionDate: z.string(),
  signerName: z.string(),
  signerTitle: z.string(),
  createdAt: z.date(),
  items: z.array(
    z.object({
      dossierId: z.string(),
      productId: z.string(),
      productName: z.string(),
      resultId: z.string(),
      star,
    }),
  ),
});
export type DecisionView = z.infer<typeof decisionView>;
export const decisionList = z.object({ items: z.array(decisionView) });

// ---------------------------------------------------------------- advisory review and field visit

export const fieldVisitBody = z.strictObject({
  date: isoDate,
  place: requiredText(500),
  findings: requiredText(4000),
});

/** The whole review each time (autosave-style): notes, the field visit if made, and documents it relies on. */
export const advisoryReviewBody = z.strictObject({
  /** The version read; absent for the first record. */
  version: z.number().int().positive().optional(),
  reviewNotes: requiredText(8000),
  fieldVisit: fieldVisitBody.nullish(),
  attachmentDocumentIds: z.array(id).max(20).optional(),
});
export type AdvisoryReviewInput = z.infer<typeof advisoryReviewBody>;

export const advisoryReviewView = z.object({
  dossierId: z.string(),
  /** The frozen rule-set lists the dossier's product set among those needing a field visit. */
  fieldVisitRequired: z.boolean(),
  review: z
    .object({
      id: z.string(),
      reviewNotes: z.string(),
      fieldVisit: z.object({ date: z.string(), place: z.string(), findings: z.string() }).nullable(),
      attachmentDocumentIds: z.array(z.string()),
      version: z.number().int(),
      recordedBy: z.string().nullable(),
      recordedAt: z.date(),
      updatedBy: z.string().nullable(),
      updatedAt: z.date(),
    })
    .nullable(),
});
export type AdvisoryReviewView = z.infer<typeof advisoryReviewView>;

/** Pure evaluation rules (states, deadlines, councils, scoring), shared with the web app. */
export * from './rules';
