import type { Message } from '../../server/errors';
import type { Answers, Level, RuleSet, Sheet, Star } from '../criteria/contract';
import {
  evaluateDossier,
  fromCents,
  type LevelDecision,
  leafCriteria,
  type Outcome,
  partTotals,
  toCents,
} from '../criteria/contract';

/**
 * The rules of an evaluation, pure: the dossier's state machine and who may move it, the rules of a
 * cycle (level, year, round, frozen rule-set, deadlines) and of a council (roles, conflicts, who
 * closes and reopens scoring). Scoring itself is the criteria engine's (criteria/rules.ts).
 */

// ---------------------------------------------------------------- dossier states

export const DOSSIER_STATES = [
  'draft',
  'submitted',
  'returned',
  'prechecked',
  'accepted',
  'in_council',
  'scored',
  'proposed',
  'recognised',
  'not_recognised',
  'withdrawn',
] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];

export const stateLabels: Record<DossierState, Message> = {
  draft: { vi: 'Nháp', en: 'Draft' },
  submitted: { vi: 'Đã nộp', en: 'Submitted' },
  returned: { vi: 'Trả lại để bổ sung', en: 'Returned for completion' },
  prechecked: { vi: 'Cấp xã đã kiểm tra, đề nghị lên tỉnh', en: 'Pre-checked by the commune' },
  accepted: { vi: 'Đã tiếp nhận', en: 'Accepted' },
  in_council: { vi: 'Hội đồng đang chấm', en: 'With the council' },
  scored: { vi: 'Đã chấm xong', en: 'Scored' },
  proposed: { vi: 'Đã đề nghị công nhận', en: 'Proposed for recognition' },
  recognised: { vi: 'Được công nhận', en: 'Recognised' },
  not_recognised: { vi: 'Không được công nhận', en: 'Not recognised' },
  withdrawn: { vi: 'Đã rút hồ sơ', en: 'Withdrawn' },
};

/** States in which the producer may still change the dossier's content (forms, self-assessment, documents). */
export const EDITABLE_STATES: readonly DossierState[] = ['draft', 'returned'];
/** Once scoring is closed the members' sheets may be read by the whole council and the officers. */
export const SCORING_CLOSED_STATES: readonly DossierState[] = [
  'scored',
  'proposed',
  'recognised',
  'not_recognised',
];
export const FINAL_STATES: readonly DossierState[] = ['recognised', 'not_recognised', 'withdrawn'];

export const isEditable = (state: DossierState) => EDITABLE_STATES.includes(state);
export const isScoringClosed = (state: DossierState) => SCORING_CLOSED_STATES.includes(state);

// ---------------------------------------------------------------- who acts

/**
 * The capacity in which someone acts on a dossier. One person may hold several (a province officer
 * who also chairs the council); the service works them out from the actor and the dossier.
 * - `owner`: a producer representing the dossier's subject;
 * - `commune_officer`: an officer of the subject's commune;
 * - `province_officer`: an officer of the cycle's province (system administrators act as one);
 * - `council_chair`: the chair of the council the dossier is assigned to.
 */
export const CAPACITIES = ['owner', 'commune_officer', 'province_officer', 'council_chair'] as const;
export type Capacity = (typeof CAPACITIES)[number];

export const capacityLabels: Record<Capacity, Message> = {
  owner: { vi: 'chủ thể sở hữu sản phẩm', en: 'the producer owning the product' },
  commune_officer: { vi: 'cán bộ cấp xã nơi chủ thể đặt trụ sở', en: "an officer of the subject's commune" },
  province_officer: { vi: 'cán bộ cấp tỉnh tổ chức kỳ đánh giá', en: "an officer of the cycle's province" },
  council_chair: { vi: 'chủ tịch hội đồng được giao hồ sơ', en: 'the chair of the assigned council' },
};

// ---------------------------------------------------------------- actions

export const DOSSIER_ACTIONS = [
  'submit',
  'resubmit',
  'withdraw',
  'precheck',
  'return',
  'accept',
  'assign',
  'close_scoring',
  'reopen_scoring',
  'propose',
  'recognise',
  'not_recognise',
] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

export const actionLabels: Record<DossierAction, Message> = {
  submit: { vi: 'nộp hồ sơ', en: 'submit' },
  resubmit: { vi: 'nộp lại hồ sơ', en: 'resubmit' },
  withdraw: { vi: 'rút hồ sơ', en: 'withdraw' },
  precheck: { vi: 'kiểm tra và đề nghị lên tỉnh', en: 'pre-check and propose to the province' },
  return: { vi: 'trả lại để bổ sung', en: 'return for completion' },
  accept: { vi: 'tiếp nhận', en: 'accept' },
  assign: { vi: 'giao hội đồng chấm', en: 'assign to a council' },
  close_scoring: { vi: 'kết thúc chấm điểm', en: 'close scoring' },
  reopen_scoring: { vi: 'mở lại chấm điểm', en: 'reopen scoring' },
  propose: { vi: 'đề nghị công nhận', en: 'propose for recognition' },
  recognise: { vi: 'công nhận', en: 'recognise' },
  not_recognise: { vi: 'ghi nhận không công nhận', en: 'record as not recognised' },
};

type TransitionRule = {
  from: readonly DossierState[];
  to: DossierState;
  by: readonly Capacity[];
  reason: 'required' | 'optional' | 'none';
  /** Only in cycles whose rule-set has the commune pre-check (1489, 26/2026). */
  precheck?: 'required';
};

/**
 * The state machine of a dossier [law: 148 as amended by 1489, 26/2026; procedure per DOMAIN.md]:
 * draft → submitted → (returned → submitted)* → [prechecked] → accepted → in_council → scored →
 * proposed → recognised | not_recognised; withdrawn from draft, submitted or returned.
 * Where the commune pre-checks, the province accepts only pre-checked dossiers, and the commune may
 * return a submitted one for completion. The chair may reopen scoring (scored → in_council).
 */
export const TRANSITIONS: Record<DossierAction, TransitionRule> = {
  submit: { from: ['draft'], to: 'submitted', by: ['owner'], reason: 'none' },
  resubmit: { from: ['returned'], to: 'submitted', by: ['owner'], reason: 'none' },
  withdraw: { from: ['draft', 'submitted', 'returned'], to: 'withdrawn', by: ['owner'], reason: 'optional' },
  precheck: {
    from: ['submitted'],
    to: 'prechecked',
    by: ['commune_officer'],
    reason: 'optional',
    precheck: 'required',
  },
  return: {
    from: ['submitted', 'prechecked'],
    to: 'returned',
    by: ['commune_officer', 'province_officer'],
    reason: 'required',
  },
  accept: { from: ['submitted', 'prechecked'], to: 'accepted', by: ['province_officer'], reason: 'none' },
  assign: { from: ['accepted'], to: 'in_council', by: ['province_officer'], reason: 'none' },
  close_scoring: { from: ['in_council'], to: 'scored', by: ['council_chair'], reason: 'none' },
  reopen_scoring: { from: ['scored'], to: 'in_council', by: ['council_chair'], reason: 'required' },
  propose: { from: ['scored'], to: 'proposed', by: ['province_officer'], reason: 'none' },
  recognise: { from: ['proposed'], to: 'recognised', by: ['province_officer'], reason: 'none' },
  not_recognise: { from: ['proposed'], to: 'not_recognised', by: ['province_officer'], reason: 'required' },
};

export type TransitionRequest = {
  action: DossierAction;
  from: DossierState;
  capacities: readonly Capacity[];
  /** Whether the cycle's frozen rule-set has the commune pre-check before this cycle's level. */
  precheckRequired: boolean;
  reason?: string | null | undefined;
};

export type TransitionRefusal =
  | 'wrongState'
  | 'notAllowed'
  | 'reasonRequired'
  | 'precheckNotUsed'
  | 'precheckPending'
  | 'communeReturnWithoutPrecheck'
  | 'communeReturnAfterPrecheck';

export type TransitionCheck =
  | { ok: true; to: DossierState }
  | { ok: false; refusal: TransitionRefusal; message: Message };

const list = (items: readonly Message[], lang: 'vi' | 'en') =>
  items.map((m) => m[lang]).join(lang === 'vi' ? ' hoặc ' : ' or ');

/** Whether this transition may be made now by someone acting in these capacities, and where it leads. */
export function checkTransition(request: TransitionRequest): TransitionCheck {
  const rule = TRANSITIONS[request.action];
  const action = actionLabels[request.action];
  const refuse = (refusal: TransitionRefusal, message: Message): TransitionCheck => ({
    ok: false,
    refusal,
    message,
  });
  if ((rule.precheck === 'required' || request.from === 'prechecked') && !request.precheckRequired) {
    return refuse('precheckNotUsed', {
      vi: 'Bộ tiêu chí của kỳ đánh giá này không có bước kiểm tra của cấp xã.',
      en: "This cycle's rule-set has no commune pre-check.",
    });
  }
  if (!rule.from.includes(request.from)) {
    const allowed = rule.from.map((s) => stateLabels[s]);
    return refuse('wrongState', {
      vi: `Không thể ${action.vi} khi hồ sơ ở trạng thái «${stateLabels[request.from].vi}»; chỉ được khi ở trạng thái «${list(allowed, 'vi')}».`,
      en: `Cannot ${action.en} a dossier that is "${stateLabels[request.from].en}"; only one that is "${list(allowed, 'en')}".`,
    });
  }
  const capacities = request.capacities.filter((c) => rule.by.includes(c));
  if (capacities.length === 0) {
    return refuse('notAllowed', {
      vi: `Chỉ ${list(
        rule.by.map((c) => capacityLabels[c]),
        'vi',
      )} mới được ${action.vi}.`,
      en: `Only ${list(
        rule.by.map((c) => capacityLabels[c]),
        'en',
      )} may ${action.en}.`,
    });
  }
  if (request.action === 'accept') {
    if (request.precheckRequired && request.from === 'submitted') {
      return refuse('precheckPending', {
        vi: 'Hồ sơ chưa được cấp xã kiểm tra và đề nghị; tỉnh chỉ tiếp nhận hồ sơ đã qua cấp xã.',
        en: 'The commune has not pre-checked this dossier yet; the province accepts only pre-checked dossiers.',
      });
    }
  }
  if (request.action === 'return' && !capacities.includes('province_officer')) {
    // The commune returns only while it is the one checking: before its pre-check, in cycles that have one.
    if (!request.precheckRequired) {
      return refuse('communeReturnWithoutPrecheck', {
        vi: 'Kỳ đánh giá này không có bước kiểm tra của cấp xã; chỉ cấp tỉnh trả lại hồ sơ.',
        en: 'This cycle has no commune pre-check; only the province returns dossiers.',
      });
    }
    if (request.from !== 'submitted') {
      return refuse('communeReturnAfterPrecheck', {
        vi: 'Hồ sơ đã được cấp xã đề nghị lên tỉnh; chỉ cấp tỉnh trả lại được.',
        en: 'The commune has already proposed this dossier to the province; only the province can return it.',
      });
    }
  }
  if (rule.reason === 'required' && !request.reason?.trim()) {
    return refuse('reasonRequired', {
      vi: `Cần ghi lý do để ${action.vi}.`,
      en: `A reason is required to ${action.en}.`,
    });
  }
  return { ok: true, to: rule.to };
}

/** The actions open to someone in these capacities from this state (for the UI's buttons). */
export function availableActions(
  from: DossierState,
  capacities: readonly Capacity[],
  precheckRequired: boolean,
): DossierAction[] {
  return DOSSIER_ACTIONS.filter((action) => {
    const check = checkTransition({ action, from, capacities, precheckRequired, reason: 'x' });
    return check.ok;
  });
}

// ---------------------------------------------------------------- cycles

export const CYCLE_LEVELS = ['commune_precheck', 'district', 'province', 'central'] as const;
export type CycleLevel = (typeof CYCLE_LEVELS)[number];

export const cycleLevelLabels: Record<CycleLevel, Message> = {
  commune_precheck: { vi: 'Kiểm tra cấp xã', en: 'Commune pre-check' },
  district: { vi: 'Cấp huyện (dữ liệu lịch sử)', en: 'District (historic data)' },
  province: { vi: 'Cấp tỉnh', en: 'Province' },
  central: { vi: 'Cấp trung ương', en: 'Central' },
};

export const EVALUATION_TYPES = ['new', 're_evaluation', 'upgrade'] as const;
export type EvaluationType = (typeof EVALUATION_TYPES)[number];

/** The rule-set level a cycle level stands for. */
export function ruleSetLevelOf(level: CycleLevel): Level {
  return level === 'commune_precheck' ? 'commune' : level;
}

/** The last year district councils sat: two-tier local government from 01/07/2025 [law]. */
export const LAST_DISTRICT_YEAR = 2025;
export const FIRST_CYCLE_YEAR = 2019;

export type FieldProblem = { path: string; message: Message };

export type CycleInput = {
  level: CycleLevel;
  year: number;
  round: number;
  submissionDeadline: string;
  meetingDate?: string | null | undefined;
  /** Province of the cycle; null only for the central level. */
  provinceCode: string | null;
};

const yearOf = (partialDate: string) => Number(partialDate.slice(0, 4));

/**
 * Problems with opening a cycle under a rule-set: the level must be one where that rule-set's
 * councils score (the commune pre-check is a step of the province cycle's dossiers, not a cycle),
 * district cycles exist only for historic data, the year must fall in the rule-set's period of
 * force, and the meeting comes after the submission deadline.
 */
export function cycleProblems(input: CycleInput, ruleSet: RuleSet, currentYear: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.level === 'commune_precheck') {
    problems.push({
      path: 'level',
      message: {
        vi: 'Kiểm tra cấp xã là một bước của hồ sơ trong kỳ đánh giá cấp tỉnh, không phải một kỳ đánh giá riêng.',
        en: "The commune pre-check is a step of the province cycle's dossiers, not a cycle of its own.",
      },
    });
  } else {
    const level = ruleSet.levels.find((l) => l.level === ruleSetLevelOf(input.level));
    if (level?.role !== 'score') {
      problems.push({
        path: 'level',
        message: {
          vi: `Bộ tiêu chí "${ruleSet.code}" không có hội đồng chấm ở ${cycleLevelLabels[input.level].vi.toLowerCase()}.`,
          en: `Rule-set "${ruleSet.code}" has no scoring council at the ${cycleLevelLabels[input.level].en.toLowerCase()} level.`,
        },
      });
    }
  }
  if (input.level === 'district' && input.year > LAST_DISTRICT_YEAR) {
    problems.push({
      path: 'year',
      message: {
        vi: 'Cấp huyện đã bỏ từ 01/07/2025; kỳ đánh giá cấp huyện chỉ dùng để nhập dữ liệu lịch sử.',
        en: 'The district level ended on 1 July 2025; district cycles are for historic data only.',
      },
    });
  }
  if (input.level === 'central' ? input.provinceCode !== null : input.provinceCode === null) {
    problems.push({
      path: 'provinceCode',
      message:
        input.level === 'central'
          ? { vi: 'Kỳ đánh giá cấp trung ương không thuộc tỉnh nào.', en: 'A central cycle has no province.' }
          : { vi: 'Cần chọn tỉnh của kỳ đánh giá.', en: 'Choose the province of the cycle.' },
    });
  }
  const from = yearOf(ruleSet.inForce.from);
  const to = ruleSet.inForce.to ? yearOf(ruleSet.inForce.to) : null;
  if (input.year < from || (to !== null && input.year > to)) {
    problems.push({
      path: 'year',
      message: {
        vi: `Bộ tiêu chí "${ruleSet.code}" áp dụng từ ${ruleSet.inForce.from}${to ? ` đến ${ruleSet.inForce.to}` : ''}; năm ${input.year} nằm ngoài thời gian đó.`,
        en: `Rule-set "${ruleSet.code}" is in force from ${ruleSet.inForce.from}${to ? ` to ${ruleSet.inForce.to}` : ''}; ${input.year} is outside that period.`,
      },
    });
  }
  if (input.year > currentYear + 1) {
    problems.push({
      path: 'year',
      message: {
        vi: 'Chỉ mở kỳ đánh giá đến năm sau.',
        en: 'Cycles can be opened up to next year only.',
      },
    });
  }
  if (input.meetingDate && input.meetingDate < input.submissionDeadline) {
    problems.push({
      path: 'meetingDate',
      message: {
        vi: 'Ngày họp hội đồng phải sau hạn nộp hồ sơ.',
        en: 'The council meeting must come after the submission deadline.',
      },
    });
  }
  return problems;
}

/**
 * Whether dossiers of a cycle at this level pass the commune pre-check first: the rule-set's level
 * just below it is a pre-check level (148 as amended by 1489, 26/2026: commune → province).
 */
export function precheckRequired(ruleSet: RuleSet, level: CycleLevel): boolean {
  const index = ruleSet.levels.findIndex((l) => l.level === ruleSetLevelOf(level));
  return index > 0 && ruleSet.levels[index - 1]!.role === 'precheck';
}

/** A first submission is accepted until the end of the deadline day (local date); completing a returned dossier is not. */
export function isPastDeadline(submissionDeadline: string, today: string): boolean {
  return today > submissionDeadline;
}

// ---------------------------------------------------------------- councils

export const COUNCIL_ROLES = ['chair', 'vice_chair', 'secretary', 'member', 'advisory'] as const;
export type CouncilRole = (typeof COUNCIL_ROLES)[number];

export const councilRoleLabels: Record<CouncilRole, Message> = {
  chair: { vi: 'Chủ tịch hội đồng', en: 'Chair' },
  vice_chair: { vi: 'Phó chủ tịch hội đồng', en: 'Vice-chair' },
  secretary: { vi: 'Thư ký hội đồng', en: 'Secretary' },
  member: { vi: 'Thành viên', en: 'Member' },
  advisory: { vi: 'Tổ tư vấn, giúp việc', en: 'Advisory group' },
};

/** The advisory group ("tổ tư vấn / tổ giúp việc") reviews and visits; council members score. */
export const SCORING_ROLES: readonly CouncilRole[] = ['chair', 'vice_chair', 'secretary', 'member'];
export const isScoringRole = (role: CouncilRole) => SCORING_ROLES.includes(role);

export type MembershipProblem = 'alreadyMember' | 'chairTaken';

/** A person sits once on a council, and a council has one chair. */
export function membershipProblem(
  existing: readonly { userId: string; role: CouncilRole }[],
  candidate: { userId: string; role: CouncilRole },
): MembershipProblem | null {
  if (existing.some((m) => m.userId === candidate.userId)) return 'alreadyMember';
  if (candidate.role === 'chair' && existing.some((m) => m.role === 'chair')) return 'chairTaken';
  return null;
}

export type SheetStatus = 'draft' | 'submitted';

export type ScoringRefusal =
  | 'notMember'
  | 'notScoringRole'
  | 'notAssigned'
  | 'conflicted'
  | 'notInCouncil'
  | 'locked';

export type ScoringFacts = {
  /** The caller's membership of the council the dossier is assigned to, if any. */
  membership: { role: CouncilRole } | null;
  /** The caller sits on some council of the cycle, but not the one this dossier is assigned to. */
  memberElsewhere: boolean;
  dossierState: DossierState;
  dossierAssigned: boolean;
  conflicted: boolean;
  /** Status of the caller's current sheet for the dossier, if one exists. */
  sheetStatus: SheetStatus | null;
};

/**
 * Why this person may not write their sheet for this dossier now, or null: they must sit on the
 * council the dossier is assigned to, in a scoring role, without a conflict of interest, while the
 * dossier is with the council; a submitted sheet is locked until the chair reopens it.
 */
export function scoringRefusal(facts: ScoringFacts, need: 'read' | 'write'): ScoringRefusal | null {
  if (!facts.dossierAssigned || (!facts.membership && facts.memberElsewhere)) return 'notAssigned';
  if (!facts.membership) return 'notMember';
  if (!isScoringRole(facts.membership.role)) return 'notScoringRole';
  if (facts.conflicted) return 'conflicted';
  if (need === 'read') return null;
  if (facts.dossierState !== 'in_council') return 'notInCouncil';
  if (facts.sheetStatus === 'submitted') return 'locked';
  return null;
}

export const scoringRefusalMessages: Record<ScoringRefusal, Message> = {
  notMember: {
    vi: 'Bạn không phải thành viên hội đồng chấm hồ sơ này.',
    en: 'You do not sit on the council scoring this dossier.',
  },
  notScoringRole: {
    vi: 'Tổ tư vấn, giúp việc không chấm điểm.',
    en: 'The advisory group does not score.',
  },
  notAssigned: {
    vi: 'Hồ sơ này không được giao cho hội đồng của bạn.',
    en: 'This dossier is not assigned to your council.',
  },
  conflicted: {
    vi: 'Bạn đã khai báo xung đột lợi ích với hồ sơ này nên không được chấm.',
    en: 'You declared a conflict of interest with this dossier, so you cannot score it.',
  },
  notInCouncil: {
    vi: 'Hồ sơ không ở giai đoạn hội đồng chấm điểm.',
    en: 'The dossier is not being scored by the council.',
  },
  locked: {
    vi: 'Phiếu chấm đã nộp và bị khoá; chỉ chủ tịch hội đồng mở lại được.',
    en: 'The sheet is submitted and locked; only the chair can reopen it.',
  },
};

/** A conflict of interest can be declared until scoring closes; after that the result stands as recorded. */
export function canDeclareConflict(state: DossierState): boolean {
  return !isScoringClosed(state) && state !== 'withdrawn';
}

// ---------------------------------------------------------------- documents

export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const DOCUMENT_EXTENSIONS: Record<DocumentType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};
/** Per checklist item; a dossier's evidence is a few scans per item, never an archive. */
export const MAX_DOCUMENTS_PER_ITEM = 10;

/**
 * The type of an uploaded document from its first bytes: PDF, JPEG or PNG, else null. The file name
 * and declared content type are never trusted.
 */
export function sniffDocumentType(bytes: Uint8Array): DocumentType | null {
  const starts = (signature: readonly number[]) =>
    bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return null;
}

export type DocumentProblem = 'empty' | 'tooLarge' | 'unsupported';

export function documentUploadProblem(bytes: Uint8Array, maxBytes: number): DocumentProblem | null {
  if (bytes.length === 0) return 'empty';
  if (bytes.length > maxBytes) return 'tooLarge';
  return sniffDocumentType(bytes) ? null : 'unsupported';
}

/**
 * A file name safe to show and to send back in Content-Disposition: no path, no control or quote
 * characters, bounded length; the stored file is named by its id, never by this.
 */
export function safeFileName(name: string | undefined, type: DocumentType): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f"<>|*?:;]/g, '')
    .trim()
    .slice(0, 150);
  return cleaned || `tai-lieu.${DOCUMENT_EXTENSIONS[type]}`;
}

/** Required checklist items (codes) that have no document yet. */
export function missingRequiredItems(
  checklist: readonly { code: string; required: boolean }[],
  documentCounts: ReadonlyMap<string, number>,
): string[] {
  return checklist.filter((item) => item.required && !documentCounts.get(item.code)).map((i) => i.code);
}

// ---------------------------------------------------------------- self-assessment and results

export type SelfAssessment = {
  answered: number;
  criteria: number;
  complete: boolean;
  /** Running part totals of the answers so far. */
  parts: Record<string, number>;
  total: number;
  /** The star the answers would give alone (score band capped by the sheet's requirements); null until complete. */
  star: Star | null;
  outcome: Outcome | null;
};

/**
 * The producer's self-assessment (Mẫu 02) on the dossier's sheet, through the criteria engine: one
 * sheet scored as if it were the only member's, so quorum does not apply. Bad answers throw the
 * engine's CriteriaRuleError with their paths; unanswered criteria are fine while it is a draft.
 */
export function assessSelf(answers: Answers, sheet: Sheet, ruleSet: RuleSet): SelfAssessment {
  const criteria = leafCriteria(sheet).length;
  const parts = partTotals(answers, sheet, { allowMissing: true });
  const total = fromCents(Object.values(parts).reduce((sum, p) => sum + toCents(p), 0));
  const answered = Object.keys(answers).length;
  const complete = answered === criteria;
  if (!complete) return { answered, criteria, complete, parts, total, star: null, outcome: null };
  const alone: RuleSet = { ...ruleSet, minimumSheets: { ...ruleSet.minimumSheets, value: 1 } };
  const result = evaluateDossier({ ruleSet: alone, sheet, memberSheets: [{ memberId: 'self', answers }] });
  return { answered, criteria, complete, parts, total, star: result.finalStar, outcome: result.outcome };
}

/** A council's result can go forward to the recognition decision only when it is valid (enough sheets). */
export function canPropose(result: { outcome: Outcome } | null): boolean {
  return result !== null && result.outcome !== 'invalid';
}

export type RecognitionRefusal = 'notProposed' | 'starMismatch' | 'notCertifiedHere' | 'noResult';

/**
 * Whether a recognition decision may recognise this dossier with this star: it must have been
 * proposed, the star must be its result's final star, and this level must be the one certifying
 * that star under the frozen rule-set (a 5★ candidate goes to the central level instead).
 */
export function recognitionRefusal(
  dossier: { state: DossierState },
  result: { finalStar: Star | null; decision: LevelDecision } | null,
  star: number,
): RecognitionRefusal | null {
  if (dossier.state !== 'proposed') return 'notProposed';
  if (!result) return 'noResult';
  if (result.finalStar !== star) return 'starMismatch';
  if (result.decision.certifies !== star) return 'notCertifiedHere';
  return null;
}

// ---------------------------------------------------------------- advisory review and field visit

/**
 * Whether the advisory group must visit the producer before the council's result: the product
 * sets the frozen rule-set lists (`fieldVisitRequiredFor`, the tourism set '26' under 26/2026)
 * [law: "advisory review and field visit (mandatory for tourism)"]. Data, never a hard-coded code.
 */
export function fieldVisitRequired(ruleSet: Pick<RuleSet, 'fieldVisitRequiredFor'>, productSetCode: string) {
  return ruleSet.fieldVisitRequiredFor.productSets.includes(productSetCode);
}

/**
 * The advisory group works on a dossier once the province has accepted it and until the council's
 * result exists: the province officer may record before the dossier is assigned, the council's
 * advisory members once it is (their seat is what links them to the dossier).
 */
export const ADVISORY_STATES: readonly DossierState[] = ['accepted', 'in_council'];
export const canRecordAdvisoryReview = (state: DossierState) => ADVISORY_STATES.includes(state);

export type FieldVisit = { date: string; place: string; findings: string };

/** A field visit's date is a day that has happened (local date), on or after the dossier's submission. */
export function fieldVisitDateProblem(
  visitDate: string,
  today: string,
  submittedOn: string | null,
): 'future' | 'beforeSubmission' | null {
  if (visitDate > today) return 'future';
  if (submittedOn !== null && visitDate < submittedOn) return 'beforeSubmission';
  return null;
}

/**
 * Which transition the field visit gates: closing scoring (in_council → scored), not the
 * assignment (accepted → in_council). The advisory group belongs to the council, so its members
 * can reach the dossier only once it is assigned: gating the assignment would leave the visit to
 * the province alone and the group could never record it. The procedure puts the visit before
 * the council's scoring; what must never exist without it is the council's result, which closing
 * computes. Members may fill their sheets meanwhile (drafts are private and change nothing).
 */
export function closingNeedsFieldVisit(
  ruleSet: Pick<RuleSet, 'fieldVisitRequiredFor'>,
  dossier: { productSetCode: string },
  review: { fieldVisitDate: string | null } | null,
): boolean {
  return fieldVisitRequired(ruleSet, dossier.productSetCode) && !review?.fieldVisitDate;
}
