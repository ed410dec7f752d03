import { describe, expect, it } from 'vitest';
import {
  checkSubjectFacts,
  checkSubjectTaxCode,
  checkTaxCode,
  effectiveRegistrationNo,
  GENDERS,
  isWebAddress,
  normalisePhone,
  normaliseRegistrationNo,
  REGISTRATION_NO_PATTERN,
  SALES_CHANNEL_CODES,
  SALES_CHANNELS,
  SUBJECT_TYPE_CODES,
  SUBJECT_TYPES,
  type SubjectFacts,
  taxCodeCheckDigit,
  usesModernChannel,
} from './rules';

describe('code lists', () => {
  it('has one labelled entry per type and channel code', () => {
    expect(SUBJECT_TYPES.map((t) => t.code)).toEqual([...SUBJECT_TYPE_CODES]);
    expect(SALES_CHANNELS.map((c) => c.code)).toEqual([...SALES_CHANNEL_CODES]);
    for (const entry of [...SUBJECT_TYPES, ...SALES_CHANNELS, ...GENDERS]) {
      expect(entry.vi.length).toBeGreaterThan(0);
      expect(entry.en.length).toBeGreaterThan(0);
    }
  });
  it('asks the shop address for e-commerce only', () => {
    expect(SALES_CHANNELS.filter((c) => c.requiresDetail).map((c) => c.code)).toEqual(['ecommerce']);
  });
  it('counts supermarket, convenience store and e-commerce as modern channels', () => {
    expect(usesModernChannel([{ kind: 'traditional_market' }, { kind: 'ecommerce' }])).toBe(true);
    expect(usesModernChannel([{ kind: 'traditional_market' }, { kind: 'showroom' }])).toBe(false);
  });
});

describe('tax code (mã số thuế)', () => {
  // Published tax codes of large public companies: Vinamilk, Viettel, FPT, Vietcombank.
  it.each(['0300588569', '0100109106', '0101248141', '0100112437'])('accepts the real code %s', (code) => {
    expect(checkTaxCode(code)).toBeNull();
  });

  it('computes the check digit as 10 − (Σ weight × digit mod 11)', () => {
    // Vinamilk: 0·31+3·29+0·23+0·19+5·17+8·13+8·7+5·5+6·3 = 375; 375 mod 11 = 1; 10 − 1 = 9.
    expect(taxCodeCheckDigit('030058856')).toBe(9);
    expect(taxCodeCheckDigit('010010910')).toBe(6);
  });

  it('has no valid code when the formula gives 10', () => {
    // 100000001: 31 + 3 = 34, 34 mod 11 = 1 → 9; 000000000 → sum 0 → 10: no valid tenth digit.
    expect(taxCodeCheckDigit('000000000')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(checkTaxCode(`000000000${d}`)).toBe('checkDigit');
  });

  it('accepts a branch suffix on a valid code', () => {
    expect(checkTaxCode('0100109106-001')).toBeNull();
    expect(checkTaxCode('0100109107-001')).toBe('checkDigit');
  });

  it.each([
    ['0300588568', 'checkDigit'],
    ['0300588560', 'checkDigit'],
    ['030058856', 'format'],
    ['03005885691', 'format'],
    ['0300588569-01', 'format'],
    ['0300588569 001', 'format'],
    ['03OO588569', 'format'],
    ['', 'format'],
  ] as const)('refuses %s (%s)', (code, problem) => {
    expect(checkTaxCode(code)).toBe(problem);
  });

  it('accepts a 12-digit personal ID number only as a subject tax code, never as an MST', () => {
    expect(checkSubjectTaxCode('037190001234')).toBeNull();
    expect(checkTaxCode('037190001234')).toBe('format');
    // Birth-province codes stop at 096.
    expect(checkSubjectTaxCode('097190001234')).toBe('format');
    expect(checkSubjectTaxCode('0300588568')).toBe('checkDigit');
  });
});

describe('business registration number', () => {
  it.each([
    ['27A8012345', '27A8012345'],
    [' 27a8 012345 ', '27A8012345'],
    ['07.05.000123', '07.05.000123'],
    ['0107/HKD', '0107/HKD'],
    ['0100109106-001', '0100109106-001'],
  ])('accepts %s as %s', (raw, normalised) => {
    const value = normaliseRegistrationNo(raw);
    expect(value).toBe(normalised);
    expect(REGISTRATION_NO_PATTERN.test(value)).toBe(true);
  });
  it.each(['HKD', '-123', '1'.repeat(21), '12#45', 'Số 12', '12_3'])('refuses %s', (raw) => {
    expect(REGISTRATION_NO_PATTERN.test(normaliseRegistrationNo(raw))).toBe(false);
  });
});

describe('phone numbers', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['091 234 5678', '0912345678'],
    ['0912.345.678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['(0229) 3871 234', '02293871234'],
    ['1900 1234', '19001234'],
  ])('accepts %s as %s', (raw, expected) => expect(normalisePhone(raw)).toBe(expected));
  it.each(['12345', '091234567', '091234567890', '+1 202 555 0100', '0912-abc-678', '09123456７8'])(
    'refuses %s',
    (raw) => expect(normalisePhone(raw)).toBeNull(),
  );
});

describe('web address', () => {
  it('takes http(s) addresses with a host name only', () => {
    expect(isWebAddress('https://shopee.vn/comchay.ninhbinh')).toBe(true);
    expect(isWebAddress('http://htx.vn')).toBe(true);
    expect(isWebAddress('javascript:alert(1)')).toBe(false);
    expect(isWebAddress('shopee.vn/abc')).toBe(false);
    expect(isWebAddress('http://localhost')).toBe(false);
  });
});

describe('the record as a whole', () => {
  const base: SubjectFacts = {
    type: 'cooperative',
    taxCode: null,
    businessRegistrationNo: null,
    workforceTotal: null,
    workforceLocal: null,
    workforceTrained: null,
    salesChannels: [],
  };
  const paths = (facts: Partial<SubjectFacts>) => checkSubjectFacts({ ...base, ...facts }).map((p) => p.path);

  it('accepts a plain record', () => expect(paths({})).toEqual([]));

  it('keeps local and trained workers within the total', () => {
    expect(paths({ workforceTotal: 10, workforceLocal: 10, workforceTrained: 0 })).toEqual([]);
    expect(paths({ workforceTotal: 10, workforceLocal: 11, workforceTrained: 12 })).toEqual([
      'workforceLocal',
      'workforceTrained',
    ]);
    expect(paths({ workforceLocal: 3 })).toEqual(['workforceTotal']);
  });

  it('lets an imported enterprise lack its tax code, never one entered at the form', () => {
    expect(paths({ type: 'sme' })).toEqual(['taxCode']);
    const imported = (facts: Partial<SubjectFacts>) =>
      checkSubjectFacts({ ...base, ...facts }, 'import').map((p) => p.path);
    expect(imported({ type: 'sme' })).toEqual([]);
    // What the import cannot excuse stays refused: a personal ID as an enterprise's tax code.
    expect(imported({ type: 'sme', taxCode: '001234567890' })).toEqual(['taxCode']);
  });

  it("requires an enterprise's tax code and makes it the registration number", () => {
    expect(paths({ type: 'sme' })).toEqual(['taxCode']);
    expect(paths({ type: 'sme', taxCode: '0300588569', businessRegistrationNo: '0300588569' })).toEqual([]);
    expect(
      paths({ type: 'other_enterprise', taxCode: '0300588569', businessRegistrationNo: '27A8012345' }),
    ).toEqual(['businessRegistrationNo']);
    expect(
      effectiveRegistrationNo({ type: 'sme', taxCode: '0300588569', businessRegistrationNo: null }),
    ).toBe('0300588569');
    expect(
      effectiveRegistrationNo({
        type: 'household_business',
        taxCode: '0300588569',
        businessRegistrationNo: null,
      }),
    ).toBeNull();
  });

  it('takes a personal ID number as tax code for households and farms only', () => {
    expect(paths({ type: 'household_business', taxCode: '037190001234' })).toEqual([]);
    expect(paths({ type: 'farm', taxCode: '037190001234' })).toEqual([]);
    expect(paths({ type: 'cooperative', taxCode: '037190001234' })).toEqual(['taxCode']);
  });

  it('needs the shop address of an e-commerce channel and no channel twice', () => {
    expect(paths({ salesChannels: [{ kind: 'ecommerce', detail: ' ' }] })).toEqual([
      'salesChannels.0.detail',
    ]);
    expect(
      paths({
        salesChannels: [
          { kind: 'ecommerce', detail: 'https://shopee.vn/a' },
          { kind: 'ecommerce', detail: 'https://lazada.vn/a' },
          { kind: 'supermarket' },
          { kind: 'supermarket', detail: null },
        ],
      }),
    ).toEqual(['salesChannels.3']);
  });

  it('flags codes the lists no longer have, as on old imported records', () => {
    expect(paths({ type: 'household', salesChannels: [{ kind: 'ocop_showroom' }] })).toEqual([
      'type',
      'salesChannels.0.kind',
    ]);
  });
});
