import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../shared/dates';
import {
  CriteriaRuleError,
  DEFAULT_CRITERIA_DIR,
  type RuleSet,
  ruleSetSchema,
  type Sheet,
  sheetSchema,
} from '../criteria';
import {
  assessSelf,
  availableActions,
  CAPACITIES,
  type Capacity,
  canDeclareConflict,
  canPropose,
  canRecordAdvisoryReview,
  checkTransition,
  closingNeedsFieldVisit,
  cycleProblems,
  DOSSIER_ACTIONS,
  DOSSIER_STATES,
  type DossierAction,
  type DossierState,
  documentUploadProblem,
  fieldVisitDateProblem,
  fieldVisitRequired,
  isPastDeadline,
  membershipProblem,
  missingRequiredItems,
  precheckRequired,
  recognitionRefusal,
  type ScoringFacts,
  safeFileName,
  scoringRefusal,
  sniffDocumentType,
} from './rules';

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(DEFAULT_CRITERIA_DIR, file), 'utf8'));
const ruleSetOf = (code: string, minimumSheets = 3): RuleSet => {
  const parsed = ruleSetSchema.parse(read(`rule-sets/${code}.json`));
  return { ...parsed, minimumSheets: { ...parsed.minimumSheets, value: minimumSheets } };
};
const rs1048 = ruleSetOf('1048-2019');
const rs148 = ruleSetOf('148-2023');
const rs1489 = ruleSetOf('148-1489-2025');
const rs26 = ruleSetOf('26-2026');
const demoSheet: Sheet = sheetSchema.parse(read('sheets/26-2026/demo-rau-cu-qua-hat-tuoi.json'));

/**
 * The legal moves, written out independently of TRANSITIONS: [action, from, capacity, precheck?].
 * `precheck` undefined means "in cycles with and without the commune pre-check".
 */
type Legal = [DossierAction, DossierState, Capacity, boolean?];
const LEGAL: Legal[] = [
  ['submit', 'draft', 'owner'],
  ['resubmit', 'returned', 'owner'],
  ['withdraw', 'draft', 'owner'],
  ['withdraw', 'submitted', 'owner'],
  ['withdraw', 'returned', 'owner'],
  ['precheck', 'submitted', 'commune_officer', true],
  ['return', 'submitted', 'commune_officer', true],
  ['return', 'submitted', 'province_officer'],
  ['return', 'prechecked', 'province_officer', true],
  ['accept', 'submitted', 'province_officer', false],
  ['accept', 'prechecked', 'province_officer', true],
  ['assign', 'accepted', 'province_officer'],
  ['close_scoring', 'in_council', 'council_chair'],
  ['reopen_scoring', 'scored', 'council_chair'],
  ['propose', 'scored', 'province_officer'],
  ['recognise', 'proposed', 'province_officer'],
  ['not_recognise', 'proposed', 'province_officer'],
];
const EXPECTED_TARGET: Record<DossierAction, DossierState> = {
  submit: 'submitted',
  resubmit: 'submitted',
  withdraw: 'withdrawn',
  precheck: 'prechecked',
  return: 'returned',
  accept: 'accepted',
  assign: 'in_council',
  close_scoring: 'scored',
  reopen_scoring: 'in_council',
  propose: 'proposed',
  recognise: 'recognised',
  not_recognise: 'not_recognised',
};

const isLegal = (action: DossierAction, from: DossierState, capacity: Capacity, precheck: boolean) =>
  LEGAL.some(
    ([a, f, c, p]) => a === action && f === from && c === capacity && (p === undefined || p === precheck),
  );

describe('dossier state machine', () => {
  it('allows exactly the legal moves and refuses every other one with a message in both languages', () => {
    let legal = 0;
    let refused = 0;
    for (const precheck of [false, true]) {
      for (const action of DOSSIER_ACTIONS) {
        for (const from of DOSSIER_STATES) {
          for (const capacity of CAPACITIES) {
            const check = checkTransition({
              action,
              from,
              capacities: [capacity],
              precheckRequired: precheck,
              reason: 'Lý do',
            });
            const label = `${action} from ${from} as ${capacity}, precheck ${precheck}`;
            if (isLegal(action, from, capacity, precheck)) {
              legal++;
              expect(check, label).toEqual({ ok: true, to: EXPECTED_TARGET[action] });
            } else {
              refused++;
              expect(check.ok, label).toBe(false);
              if (!check.ok) {
                expect(check.message.vi.length, label).toBeGreaterThan(10);
                expect(check.message.en.length, label).toBeGreaterThan(10);
                expect(check.message.vi).not.toBe(check.message.en);
              }
            }
          }
        }
      }
    }
    expect(legal).toBe(LEGAL.reduce((n, [, , , p]) => n + (p === undefined ? 2 : 1), 0));
    expect(refused).toBe(2 * DOSSIER_ACTIONS.length * DOSSIER_STATES.length * CAPACITIES.length - legal);
  });

  it('never leaves a final state', () => {
    for (const from of ['recognised', 'not_recognised', 'withdrawn'] as const) {
      for (const precheck of [false, true]) {
        expect(availableActions(from, CAPACITIES, precheck)).toEqual([]);
      }
    }
  });

  it('names the states a move needs when the state is wrong', () => {
    const check = checkTransition({
      action: 'accept',
      from: 'draft',
      capacities: ['province_officer'],
      precheckRequired: false,
    });
    expect(check).toMatchObject({ ok: false, refusal: 'wrongState' });
    if (!check.ok) {
      expect(check.message.vi).toBe(
        'Không thể tiếp nhận khi hồ sơ ở trạng thái «Nháp»; chỉ được khi ở trạng thái «Đã nộp hoặc Cấp xã đã kiểm tra, đề nghị lên tỉnh».',
      );
      expect(check.message.en).toContain('Cannot accept a dossier that is "Draft"');
    }
  });

  it('names who may make a move when the caller may not', () => {
    const check = checkTransition({
      action: 'submit',
      from: 'draft',
      capacities: ['province_officer', 'commune_officer'],
      precheckRequired: false,
    });
    expect(check).toMatchObject({ ok: false, refusal: 'notAllowed' });
    if (!check.ok) expect(check.message.en).toBe('Only the producer owning the product may submit.');
  });

  it('requires a reason to return, to reopen scoring and to record non-recognition', () => {
    const cases: [DossierAction, DossierState, Capacity][] = [
      ['return', 'submitted', 'province_officer'],
      ['reopen_scoring', 'scored', 'council_chair'],
      ['not_recognise', 'proposed', 'province_officer'],
    ];
    for (const [action, from, capacity] of cases) {
      for (const reason of [undefined, null, '', '   ']) {
        const check = checkTransition({
          action,
          from,
          capacities: [capacity],
          precheckRequired: false,
          reason,
        });
        expect(check, `${action} with ${JSON.stringify(reason)}`).toMatchObject({
          ok: false,
          refusal: 'reasonRequired',
        });
      }
    }
    // Withdrawing may say why, but need not.
    expect(
      checkTransition({ action: 'withdraw', from: 'draft', capacities: ['owner'], precheckRequired: false }),
    ).toEqual({ ok: true, to: 'withdrawn' });
  });

  it('makes the province wait for the commune pre-check where the rule-set has one', () => {
    const base = { action: 'accept' as const, capacities: ['province_officer'] as Capacity[] };
    expect(checkTransition({ ...base, from: 'submitted', precheckRequired: true })).toMatchObject({
      ok: false,
      refusal: 'precheckPending',
    });
    expect(checkTransition({ ...base, from: 'prechecked', precheckRequired: true })).toEqual({
      ok: true,
      to: 'accepted',
    });
    expect(
      checkTransition({
        action: 'precheck',
        from: 'submitted',
        capacities: ['commune_officer'],
        precheckRequired: false,
      }),
    ).toMatchObject({ ok: false, refusal: 'precheckNotUsed' });
  });

  it('lets the commune return only before its own pre-check, and only where it pre-checks', () => {
    const commune = {
      action: 'return' as const,
      capacities: ['commune_officer'] as Capacity[],
      reason: 'Thiếu',
    };
    expect(checkTransition({ ...commune, from: 'submitted', precheckRequired: false })).toMatchObject({
      refusal: 'communeReturnWithoutPrecheck',
    });
    expect(checkTransition({ ...commune, from: 'prechecked', precheckRequired: true })).toMatchObject({
      refusal: 'communeReturnAfterPrecheck',
    });
    expect(checkTransition({ ...commune, from: 'submitted', precheckRequired: true })).toEqual({
      ok: true,
      to: 'returned',
    });
  });

  it('lists the buttons a caller gets', () => {
    expect(availableActions('draft', ['owner'], false)).toEqual(['submit', 'withdraw']);
    expect(availableActions('submitted', ['commune_officer'], true)).toEqual(['precheck', 'return']);
    expect(availableActions('submitted', ['province_officer'], false)).toEqual(['return', 'accept']);
    expect(availableActions('scored', ['province_officer', 'council_chair'], false)).toEqual([
      'reopen_scoring',
      'propose',
    ]);
  });
});

describe('cycles', () => {
  const cycle = {
    level: 'province' as const,
    year: 2026,
    round: 1,
    submissionDeadline: '2026-06-15',
    meetingDate: '2026-06-25',
    provinceCode: '37',
  };

  it('accepts a province cycle under 26/2026 in its period', () => {
    expect(cycleProblems(cycle, rs26, 2026)).toEqual([]);
  });

  it('refuses a commune pre-check cycle: the pre-check is a step of the province cycle', () => {
    const problems = cycleProblems({ ...cycle, level: 'commune_precheck' }, rs26, 2026);
    expect(problems.map((p) => p.path)).toEqual(['level']);
  });

  it('opens district cycles only under rule-sets that had districts, and only for years before the reform', () => {
    expect(cycleProblems({ ...cycle, level: 'district', year: 2026 }, rs26, 2026).map((p) => p.path)).toEqual(
      ['level', 'year'],
    );
    expect(
      cycleProblems(
        { ...cycle, level: 'district', year: 2024, submissionDeadline: '2024-06-01', meetingDate: null },
        rs148,
        2026,
      ),
    ).toEqual([]);
    expect(
      cycleProblems(
        { ...cycle, level: 'district', year: 2021, submissionDeadline: '2021-06-01', meetingDate: null },
        rs1048,
        2026,
      ),
    ).toEqual([]);
    expect(
      cycleProblems(
        { ...cycle, level: 'district', year: 2025, submissionDeadline: '2025-06-01', meetingDate: null },
        rs1489,
        2026,
      ).map((p) => p.path),
    ).toEqual(['level']);
  });

  it('keeps the year inside the rule-set period and not beyond next year', () => {
    expect(cycleProblems({ ...cycle, year: 2024 }, rs26, 2026).map((p) => p.path)).toEqual(['year']);
    expect(cycleProblems({ ...cycle, year: 2024 }, rs148, 2026)).toEqual([]);
    expect(cycleProblems({ ...cycle, year: 2026 }, rs148, 2026).map((p) => p.path)).toEqual(['year']);
    expect(cycleProblems({ ...cycle, year: 2028 }, rs26, 2026).map((p) => p.path)).toEqual(['year']);
  });

  it('puts the meeting after the deadline and a central cycle outside any province', () => {
    expect(cycleProblems({ ...cycle, meetingDate: '2026-06-14' }, rs26, 2026).map((p) => p.path)).toEqual([
      'meetingDate',
    ]);
    expect(cycleProblems({ ...cycle, meetingDate: '2026-06-15' }, rs26, 2026)).toEqual([]);
    expect(cycleProblems({ ...cycle, level: 'central' }, rs26, 2026).map((p) => p.path)).toEqual([
      'provinceCode',
    ]);
    expect(cycleProblems({ ...cycle, level: 'central', provinceCode: null }, rs26, 2026)).toEqual([]);
    expect(cycleProblems({ ...cycle, provinceCode: null }, rs26, 2026).map((p) => p.path)).toEqual([
      'provinceCode',
    ]);
  });

  it('has the commune pre-check only in province cycles of 1489 and 26/2026', () => {
    expect(precheckRequired(rs26, 'province')).toBe(true);
    expect(precheckRequired(rs1489, 'province')).toBe(true);
    expect(precheckRequired(rs26, 'central')).toBe(false);
    expect(precheckRequired(rs148, 'province')).toBe(false);
    expect(precheckRequired(rs148, 'district')).toBe(false);
    expect(precheckRequired(rs1048, 'province')).toBe(false);
  });

  it('takes submissions until the end of the deadline day, in local time', () => {
    expect(isPastDeadline('2026-06-15', '2026-06-15')).toBe(false);
    expect(isPastDeadline('2026-06-15', '2026-06-16')).toBe(true);
    // 17:30 UTC on the 15th is already the 16th in Hà Nội.
    expect(localDate(new Date('2026-06-15T17:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-06-16');
    expect(localDate(new Date('2026-06-15T16:59:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-06-15');
  });
});

describe('councils', () => {
  it('seats a person once and has one chair', () => {
    const seated = [
      { userId: 'a', role: 'chair' as const },
      { userId: 'b', role: 'member' as const },
    ];
    expect(membershipProblem(seated, { userId: 'a', role: 'member' })).toBe('alreadyMember');
    expect(membershipProblem(seated, { userId: 'c', role: 'chair' })).toBe('chairTaken');
    expect(membershipProblem(seated, { userId: 'c', role: 'vice_chair' })).toBeNull();
    expect(membershipProblem([], { userId: 'c', role: 'chair' })).toBeNull();
  });

  const facts: ScoringFacts = {
    membership: { role: 'member' },
    memberElsewhere: false,
    dossierState: 'in_council',
    dossierAssigned: true,
    conflicted: false,
    sheetStatus: null,
  };

  it('lets a seated, unconflicted scoring member write while the council scores', () => {
    expect(scoringRefusal(facts, 'write')).toBeNull();
    expect(scoringRefusal({ ...facts, sheetStatus: 'draft' }, 'write')).toBeNull();
    for (const role of ['chair', 'vice_chair', 'secretary'] as const) {
      expect(scoringRefusal({ ...facts, membership: { role } }, 'write')).toBeNull();
    }
  });

  it('refuses the advisory group, conflicted members, other councils, unassigned dossiers and locked sheets', () => {
    expect(scoringRefusal({ ...facts, membership: { role: 'advisory' } }, 'read')).toBe('notScoringRole');
    expect(scoringRefusal({ ...facts, conflicted: true }, 'read')).toBe('conflicted');
    expect(scoringRefusal({ ...facts, membership: null, memberElsewhere: true }, 'read')).toBe('notAssigned');
    expect(scoringRefusal({ ...facts, membership: null }, 'read')).toBe('notMember');
    expect(scoringRefusal({ ...facts, dossierAssigned: false, dossierState: 'accepted' }, 'read')).toBe(
      'notAssigned',
    );
    expect(scoringRefusal({ ...facts, sheetStatus: 'submitted' }, 'write')).toBe('locked');
    expect(scoringRefusal({ ...facts, sheetStatus: 'submitted' }, 'read')).toBeNull();
    expect(scoringRefusal({ ...facts, dossierState: 'scored' }, 'write')).toBe('notInCouncil');
  });

  it('takes conflict declarations until scoring closes', () => {
    expect(canDeclareConflict('accepted')).toBe(true);
    expect(canDeclareConflict('in_council')).toBe(true);
    for (const state of ['scored', 'proposed', 'recognised', 'not_recognised', 'withdrawn'] as const) {
      expect(canDeclareConflict(state)).toBe(false);
    }
  });
});

describe('documents', () => {
  const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n');
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);

  it('sniffs PDF, JPEG and PNG from the bytes and nothing else', () => {
    expect(sniffDocumentType(pdf)).toBe('application/pdf');
    expect(sniffDocumentType(jpeg)).toBe('image/jpeg');
    expect(sniffDocumentType(png)).toBe('image/png');
    expect(sniffDocumentType(Buffer.from('<html>%PDF-'))).toBeNull();
    expect(sniffDocumentType(Buffer.from('%PDF'))).toBeNull();
    expect(sniffDocumentType(Buffer.from('PK\u0003\u0004'))).toBeNull();
    expect(sniffDocumentType(new Uint8Array())).toBeNull();
  });

  it('refuses empty, oversized and unsupported uploads', () => {
    expect(documentUploadProblem(new Uint8Array(), 100)).toBe('empty');
    expect(documentUploadProblem(Buffer.concat([pdf, Buffer.alloc(100)]), 100)).toBe('tooLarge');
    expect(documentUploadProblem(Buffer.from('GIF89a'), 100)).toBe('unsupported');
    expect(documentUploadProblem(pdf, 100)).toBeNull();
  });

  it('keeps a display name without path, quotes or control characters', () => {
    expect(safeFileName('C:\\Users\\lan\\Phiếu đăng ký.pdf', 'application/pdf')).toBe('Phiếu đăng ký.pdf');
    expect(safeFileName('../../etc/"passwd"\u0000.pdf', 'application/pdf')).toBe('passwd.pdf');
    expect(safeFileName(undefined, 'image/png')).toBe('tai-lieu.png');
    expect(safeFileName('x'.repeat(400), 'image/png')).toHaveLength(150);
  });

  it('lists required checklist items without a document', () => {
    const checklist = [
      { code: 'mau-01', required: true },
      { code: 'mau-02', required: true },
      { code: 'tiep-thi', required: false },
    ];
    expect(missingRequiredItems(checklist, new Map([['mau-01', 1]]))).toEqual(['mau-02']);
    expect(
      missingRequiredItems(
        checklist,
        new Map([
          ['mau-01', 1],
          ['mau-02', 2],
        ]),
      ),
    ).toEqual([]);
  });
});

describe('self-assessment through the engine', () => {
  const best = (sheet: Sheet) => {
    const answers: Record<string, string> = {};
    const walk = (criteria: NonNullable<Sheet['parts'][number]['groups'][number]['criteria']>) => {
      for (const c of criteria) {
        if (c.criteria?.length) walk(c.criteria);
        else answers[c.code] = [...(c.options ?? [])].sort((a, b) => b.points - a.points)[0]!.code;
      }
    };
    for (const part of sheet.parts) for (const group of part.groups) walk(group.criteria);
    return answers;
  };

  it('gives running totals while incomplete and the star once complete, whatever the quorum', () => {
    const partial = assessSelf({ 'A1.1': 'A1.1.d', 'B1.1': 'B1.1.b' }, demoSheet, rs26);
    expect(partial).toMatchObject({ answered: 2, complete: false, total: 8, star: null, outcome: null });
    expect(partial.parts).toEqual({ A: 5, B: 3, C: 0 });
    const full = assessSelf(best(demoSheet), demoSheet, ruleSetOf('26-2026', 9));
    expect(full).toMatchObject({ complete: true, total: 100, star: 5, outcome: 'recognisable' });
  });

  it('caps the star by the sheet requirements', () => {
    const answers = { ...best(demoSheet), 'C2.1': 'C2.1.c' }; // C2.1.d is required for 5★
    const result = assessSelf(answers, demoSheet, rs26);
    expect(result.total).toBe(97);
    expect(result.star).toBe(4);
  });

  it('refuses answers the sheet does not have, with their paths', () => {
    try {
      assessSelf({ 'A1.1': 'A1.1.z', X: 'y' }, demoSheet, rs26);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CriteriaRuleError);
      expect((error as CriteriaRuleError).problems.map((p) => p.path)).toEqual(['answers.A1.1', 'answers.X']);
    }
  });
});

describe('results and recognition', () => {
  const decision = (certifies: 3 | 4 | 5 | null) => ({ certifies, forwardsTo: null });

  it('proposes only valid results', () => {
    expect(canPropose(null)).toBe(false);
    expect(canPropose({ outcome: 'invalid' })).toBe(false);
    expect(canPropose({ outcome: 'below-recognition' })).toBe(true);
    expect(canPropose({ outcome: 'recognisable' })).toBe(true);
  });

  it('recognises a proposed dossier with its own star where this level certifies it', () => {
    const proposed = { state: 'proposed' as const };
    expect(recognitionRefusal(proposed, { finalStar: 4, decision: decision(4) }, 4)).toBeNull();
    expect(recognitionRefusal({ state: 'scored' }, { finalStar: 4, decision: decision(4) }, 4)).toBe(
      'notProposed',
    );
    expect(recognitionRefusal(proposed, null, 4)).toBe('noResult');
    expect(recognitionRefusal(proposed, { finalStar: 4, decision: decision(4) }, 5)).toBe('starMismatch');
    expect(recognitionRefusal(proposed, { finalStar: 5, decision: decision(null) }, 5)).toBe(
      'notCertifiedHere',
    );
    expect(recognitionRefusal(proposed, { finalStar: 2, decision: decision(null) }, 2)).toBe(
      'notCertifiedHere',
    );
  });
});

describe('advisory review and field visit', () => {
  const sets = (productSets: string[]) => ({
    fieldVisitRequiredFor: { productSets, source: 'law' as const },
  });

  it('requires a field visit for the product sets the rule-set lists, before closing scoring', () => {
    expect(fieldVisitRequired(sets(['26']), '26')).toBe(true);
    expect(fieldVisitRequired(sets(['26']), '1')).toBe(false);
    expect(fieldVisitRequired(sets([]), '26')).toBe(false);
    expect(closingNeedsFieldVisit(sets(['26']), { productSetCode: '26' }, null)).toBe(true);
    expect(closingNeedsFieldVisit(sets(['26']), { productSetCode: '26' }, { fieldVisitDate: null })).toBe(
      true,
    );
    expect(
      closingNeedsFieldVisit(sets(['26']), { productSetCode: '26' }, { fieldVisitDate: '2026-07-01' }),
    ).toBe(false);
    expect(closingNeedsFieldVisit(sets(['26']), { productSetCode: '1' }, null)).toBe(false);
  });

  it('ships 26/2026 with the tourism set needing a visit', () => {
    const ruleSet = ruleSetSchema.parse(
      JSON.parse(fs.readFileSync(path.join(DEFAULT_CRITERIA_DIR, 'rule-sets/26-2026.json'), 'utf8')),
    );
    expect(fieldVisitRequired(ruleSet, '26')).toBe(true);
  });

  it('dates a visit on a past day after the submission, and records it while accepted or with the council', () => {
    expect(fieldVisitDateProblem('2026-07-02', '2026-07-01', null)).toBe('future');
    expect(fieldVisitDateProblem('2026-07-01', '2026-07-01', '2026-06-01')).toBeNull();
    expect(fieldVisitDateProblem('2026-05-31', '2026-07-01', '2026-06-01')).toBe('beforeSubmission');
    expect(DOSSIER_STATES.filter(canRecordAdvisoryReview)).toEqual(['accepted', 'in_council']);
  });
});
