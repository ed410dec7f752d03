/**
 * Rule-sets and sheets as the criteria API answers them, built from the shipped data files, for
 * the tests of the criteria pages. Test-only: pages never import it.
 */
import ruleSetJson from '../../../../data/criteria/rule-sets/26-2026.json';
import demoSheetJson from '../../../../data/criteria/sheets/26-2026/demo-rau-cu-qua-hat-tuoi.json';
import realSheetJson from '../../../../data/criteria/sheets/1048-2019/rau-cu-qua-hat-tuoi.json';
import { ruleSetSchema, sheetSchema } from '../../../modules/criteria/documents';
import type { Problem, RuleSet, RuleSetRow, Sheet, SheetRow } from '../../data/criteria';

const ruleSetDocument = ruleSetSchema.parse(ruleSetJson);
const demoDocument = sheetSchema.parse(demoSheetJson);
const realDocument = sheetSchema.parse(realSheetJson);

export const unsetMinimum: Problem = {
  code: 'parameter.unset',
  severity: 'error',
  path: 'minimumSheets.value',
  vi: 'Chưa đặt số phiếu chấm tối thiểu để kết quả hợp lệ (văn bản chưa rõ; quản trị viên phải đặt).',
  en: 'The minimum number of member sheets for a valid result is not set (the regulation is not known; an administrator must set it).',
};

export const partAMismatch: Problem = {
  code: 'part.maxMismatch',
  severity: 'error',
  path: 'parts.0.maxPoints',
  ref: 'A',
  vi: 'Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.',
  en: 'Part A: the best options sum to 36; 35 is declared.',
};

const lifecycle = {
  revision: 1,
  status: 'draft' as const,
  contentHash: 'abc',
  version: 1,
  createdAt: '2026-11-01T03:00:00.000Z',
  activatedAt: null,
  retiredAt: null,
};

export const ruleSet: RuleSet = {
  ...lifecycle,
  id: '11111111-1111-4111-8111-111111111111',
  code: ruleSetDocument.code,
  errorCount: 1,
  warningCount: 0,
  name: ruleSetDocument.name,
  legalBasis: ruleSetDocument.legalBasis.map((l) => l.document),
  inForce: { from: ruleSetDocument.inForce.from, to: ruleSetDocument.inForce.to },
  taxonomyScheme: ruleSetDocument.taxonomyScheme,
  document: ruleSetDocument,
  problems: [unsetMinimum],
};

export const ruleSetRow: RuleSetRow = (({ document: _d, problems: _p, ...row }) => row)(ruleSet);

export const demoSheet: Sheet = {
  ...lifecycle,
  id: '22222222-2222-4222-8222-222222222222',
  code: demoDocument.code,
  errorCount: 0,
  warningCount: 0,
  ruleSetCode: demoDocument.ruleSet,
  productSet: demoDocument.productSet,
  title: demoDocument.title,
  demo: true,
  validatedAgainst: ruleSet.id,
  document: demoDocument,
  problems: [],
};

export const realSheet: Sheet = {
  ...lifecycle,
  id: '33333333-3333-4333-8333-333333333333',
  code: realDocument.code,
  errorCount: 1,
  warningCount: 0,
  ruleSetCode: realDocument.ruleSet,
  productSet: realDocument.productSet,
  title: realDocument.title,
  demo: false,
  validatedAgainst: null,
  document: realDocument,
  problems: [partAMismatch],
};

export const sheetRow = (sheet: Sheet): SheetRow => {
  const { document: _d, problems: _p, ...row } = sheet;
  return row;
};
