import { describe, expect, it } from 'vitest';
import { deriveProductStatus } from '../products';
import {
  addDays,
  type CertificateSettings,
  certificateFactsOf,
  certificateStatus,
  certificateStatusAt,
  clientFacts,
  daysBetween,
  formatCertificateNumber,
  isCalendarDate,
  issuerProblem,
  latestVersions,
  type NumberPatternToken,
  numberPatternFor,
  parseNumberPattern,
  type StatusFacts,
  signedMessage,
  supersessionProblem,
  type VersionRecord,
  validityEnd,
} from './rules';
import { certificateSettings, parseCertificateSettings } from './settings';

const tokensOf = (pattern: string): NumberPatternToken[] => {
  const parsed = parseNumberPattern(pattern);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.tokens;
};

describe('certificate numbers', () => {
  const parts = { provinceCode: '37', communeCode: '13285', year: 2026, star: 4, seq: 7 };

  it('formats the default pattern province-commune-sequence-year', () => {
    expect(formatCertificateNumber(tokensOf('{province}-{commune}-{seq:4}-{year}'), parts)).toBe(
      '37-13285-0007-2026',
    );
  });

  it('pads the sequence to the width asked, never cuts a longer one', () => {
    expect(formatCertificateNumber(tokensOf('{seq}/{year}/OCOP-{province}'), parts)).toBe('7/2026/OCOP-37');
    expect(formatCertificateNumber(tokensOf('{seq:2}-{year}'), { ...parts, seq: 1234 })).toBe('1234-2026');
    expect(formatCertificateNumber(tokensOf('{province}.{star}S.{seq:3}.{year}'), parts)).toBe(
      '37.4S.007.2026',
    );
  });

  it('refuses patterns that could repeat a number or do not fit in a URL', () => {
    expect(parseNumberPattern('{province}-{seq}')).toEqual({ problem: 'missingYear' });
    expect(parseNumberPattern('{province}-{year}')).toEqual({ problem: 'missingSeq' });
    expect(parseNumberPattern('')).toEqual({ problem: 'empty' });
    expect(parseNumberPattern('{district}-{seq}-{year}')).toEqual({
      problem: 'unknownPlaceholder',
      at: '{district}',
    });
    expect(parseNumberPattern('{seq}-{year} OCOP')).toEqual({ problem: 'badLiteral', at: ' OCOP' });
    expect(parseNumberPattern('{seq}-{year')).toEqual({ problem: 'unknownPlaceholder', at: '{year' });
    expect(parseNumberPattern('{seq:0}-{year}')).toMatchObject({ problem: 'unknownPlaceholder' });
  });

  it('takes a province pattern over the default', () => {
    const settings: CertificateSettings = {
      defaultPattern: '{province}-{commune}-{seq:4}-{year}',
      provincePatterns: { '33': 'HY-{seq:3}-{year}' },
      validityEnd: 'day-before-anniversary',
      expiringDays: 90,
    };
    expect(numberPatternFor(settings, '33')).toBe('HY-{seq:3}-{year}');
    expect(numberPatternFor(settings, '37')).toBe('{province}-{commune}-{seq:4}-{year}');
  });

  it('ships valid settings and rejects a bad file with the reason', () => {
    expect(certificateSettings().defaultPattern).toBe('{province}-{commune}-{seq:4}-{year}');
    expect(certificateSettings().expiringDays).toBe(90);
    expect(() =>
      parseCertificateSettings({
        format: 1,
        numbering: { defaultPattern: '{province}-{seq}', provincePatterns: {} },
        validityEnd: 'day-before-anniversary',
      }),
    ).toThrow(/missingYear/);
  });
});

describe('validity dates', () => {
  it('ends the day before the 36-month anniversary (the decision day counts)', () => {
    expect(validityEnd('2023-12-15', 36)).toBe('2026-12-14');
    expect(validityEnd('2024-01-01', 36)).toBe('2026-12-31');
    expect(validityEnd('2023-01-31', 36)).toBe('2026-01-30');
  });

  it('ends on the last day of the month when the anniversary day does not exist', () => {
    expect(validityEnd('2024-02-29', 36)).toBe('2027-02-28');
    expect(validityEnd('2023-05-31', 1)).toBe('2023-06-30');
    expect(validityEnd('2023-11-30', 3)).toBe('2024-02-29');
  });

  it('can count the Civil Code way (ends on the anniversary)', () => {
    expect(validityEnd('2023-12-15', 36, 'anniversary')).toBe('2026-12-15');
    expect(validityEnd('2024-02-29', 36, 'anniversary')).toBe('2027-02-28');
  });

  it('makes consecutive periods meet without overlap or gap', () => {
    const first = validityEnd('2020-03-10', 36);
    const second = addDays(first, 1);
    expect(second).toBe('2023-03-10');
    expect(daysBetween('2020-03-10', second)).toBe(365 * 3);
    expect(daysBetween('2024-01-01', addDays(validityEnd('2024-01-01', 36), 1))).toBe(365 * 3 + 1);
  });

  it('checks calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
  });

  it('refuses a validity of no months', () => {
    expect(() => validityEnd('2024-01-01', 0)).toThrow();
  });
});

describe('certificate status', () => {
  const base: StatusFacts = {
    validFrom: '2024-01-01',
    validTo: '2026-12-31',
    revokedOn: null,
    supersededOn: null,
  };

  it('says "date unknown" for a year-only record, never in force nor expired, until a date completes it', () => {
    const yearOnly: StatusFacts = { validFrom: null, validTo: null, revokedOn: null, supersededOn: null };
    for (const day of ['2021-06-01', '2030-01-01', '2100-12-31'])
      expect(certificateStatus(yearOnly, day)).toBe('date_unknown');
    // A revocation or a successor in force still says what happened to it.
    expect(certificateStatus({ ...yearOnly, revokedOn: '2025-01-01' }, '2025-06-01')).toBe('revoked');
    expect(certificateStatus({ ...yearOnly, supersededOn: '2025-01-01' }, '2025-06-01')).toBe('superseded');
    // Completed by a correction (decision 15/03/2021, 36 months): computed as any certificate.
    const completed: StatusFacts = { ...yearOnly, validFrom: '2021-03-15', validTo: '2024-03-14' };
    expect(certificateStatus(completed, '2022-01-01')).toBe('valid');
    expect(certificateStatus(completed, '2024-01-01')).toBe('expiring');
    expect(certificateStatus(completed, '2024-03-15')).toBe('expired');
  });

  it('turns expired at midnight in Hà Nội, not at midnight UTC', () => {
    expect(certificateStatusAt(base, new Date('2026-12-31T16:59:59Z'))).toBe('expiring');
    expect(certificateStatusAt(base, new Date('2026-12-31T17:00:00Z'))).toBe('expired');
    // Starts at 00:00 in Hà Nội on its first day, which is still the previous day in UTC.
    expect(certificateStatusAt(base, new Date('2023-12-31T16:59:59Z'))).toBe('pending');
    expect(certificateStatusAt(base, new Date('2023-12-31T17:00:00Z'))).toBe('valid');
  });

  it('shows expiring with 90 days or fewer left, the threshold being a parameter', () => {
    expect(daysBetween('2026-10-01', '2026-12-31')).toBe(91);
    expect(certificateStatus(base, '2026-10-01')).toBe('valid');
    expect(certificateStatus(base, '2026-10-02')).toBe('expiring');
    expect(certificateStatus(base, '2026-09-30')).toBe('valid');
    expect(daysBetween('2026-10-02', '2026-12-31')).toBe(90);
    expect(certificateStatus(base, '2026-10-02', 30)).toBe('valid');
    expect(certificateStatus(base, '2026-12-01', 30)).toBe('expiring');
    expect(certificateStatus(base, '2026-12-31')).toBe('expiring');
  });

  it('lets a revocation in force win over everything, from its decision date on', () => {
    const revoked = { ...base, revokedOn: '2025-06-10', supersededOn: '2025-08-01' };
    expect(certificateStatus(revoked, '2025-06-09')).toBe('valid');
    expect(certificateStatus(revoked, '2025-06-10')).toBe('revoked');
    expect(certificateStatus(revoked, '2030-01-01')).toBe('revoked');
  });

  it('is superseded from the first day of its successor, expired or not', () => {
    const superseded = { ...base, supersededOn: '2026-11-20' };
    expect(certificateStatus(superseded, '2026-11-19')).toBe('expiring');
    expect(certificateStatus(superseded, '2026-11-20')).toBe('superseded');
    expect(certificateStatus({ ...base, supersededOn: '2027-03-01' }, '2027-02-01')).toBe('expired');
    expect(certificateStatus({ ...base, supersededOn: '2027-03-01' }, '2027-03-01')).toBe('superseded');
  });
});

describe('versions and supersession', () => {
  const record = (over: Partial<VersionRecord> & { id: string }): VersionRecord => ({
    number: '37-13285-0001-2024',
    version: 1,
    productId: 'p1',
    star: 3,
    validFrom: '2024-01-01',
    validTo: '2026-12-31',
    supersedesId: null,
    correctsId: null,
    ...over,
  });

  it('keeps only the latest version of a corrected certificate', () => {
    const v1 = record({ id: 'a' });
    const v2 = record({ id: 'b', version: 2, correctsId: 'a' });
    const v3 = record({ id: 'c', version: 3, correctsId: 'b' });
    const other = record({ id: 'd', number: 'X-1-2024' });
    expect(latestVersions([v1, v2, v3, other]).map((r) => r.id)).toEqual(['c', 'd']);
  });

  it('decides which issue kinds fit the product certificates', () => {
    expect(supersessionProblem('new', null, null, 3)).toBeNull();
    expect(supersessionProblem('new', { star: 3 }, { star: 3 }, 4)).toBe('alreadyCertified');
    expect(supersessionProblem('new', null, { star: 3 }, 3)).toBeNull(); // lapsed long ago: a new dossier
    expect(supersessionProblem('upgrade', { star: 3 }, { star: 3 }, 4)).toBeNull();
    expect(supersessionProblem('upgrade', { star: 4 }, { star: 4 }, 4)).toBe('notHigherStar');
    expect(supersessionProblem('upgrade', null, { star: 3 }, 4)).toBe('nothingToSupersede');
    expect(supersessionProblem('rerecognition', null, { star: 4 }, 3)).toBeNull();
    expect(supersessionProblem('rerecognition', null, null, 3)).toBe('nothingToSupersede');
  });

  it('gives the products module facts its status rule reads correctly', () => {
    const v1 = { ...record({ id: 'a', validTo: '2025-06-30' }), revokedOn: null };
    // A correction of the end date: the corrected version must not speak any more.
    const v2 = { ...record({ id: 'b', version: 2, correctsId: 'a' }), revokedOn: null };
    const facts = certificateFactsOf([v1, v2]).get('p1')!;
    expect(facts).toEqual([
      { validFrom: '2024-01-01', validTo: '2025-06-30', revokedAt: null, supersededBy: 'b' },
      { validFrom: '2024-01-01', validTo: '2026-12-31', revokedAt: null, supersededBy: null },
    ]);
    const record0 = { registeredAt: new Date('2023-06-01T00:00:00Z'), archivedAt: null };
    expect(deriveProductStatus({ ...record0, certificates: facts }, '2025-12-01')).toBe('certified');
    expect(deriveProductStatus({ ...record0, certificates: facts }, '2027-01-01')).toBe('expired');
    // Revoking the latest version revokes the number: every version carries it.
    const revoked = certificateFactsOf([v1, { ...v2, revokedOn: '2025-03-01' }]).get('p1')!;
    expect(revoked.map((f) => f.revokedAt)).toEqual(['2025-03-01', '2025-03-01']);
    expect(deriveProductStatus({ ...record0, certificates: revoked }, '2025-12-01')).toBe('revoked');
  });

  it('keeps a product certified across a re-recognition', () => {
    const old = { ...record({ id: 'a', validFrom: '2021-01-05', validTo: '2024-01-04' }), revokedOn: null };
    const next = {
      ...record({ id: 'b', number: 'N2', validFrom: '2024-01-05', validTo: '2027-01-04', supersedesId: 'a' }),
      revokedOn: null,
    };
    const facts = certificateFactsOf([old, next]).get('p1')!;
    const product = { registeredAt: null, archivedAt: null, certificates: facts };
    expect(deriveProductStatus(product, '2024-01-04')).toBe('certified');
    expect(deriveProductStatus(product, '2024-01-05')).toBe('certified');
  });
});

describe('signed message and client facts', () => {
  it('signs the number in NFC, with a version tag', () => {
    expect(signedMessage('37-13285-0001-2026')).toBe('OCOP-CERT-1:37-13285-0001-2026');
  });

  it('reduces a User-Agent to coarse facts', () => {
    expect(
      clientFacts(
        'Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 Zalo android/12100',
      ),
    ).toEqual({ os: 'android', browser: 'zalo', mobile: true, bot: false });
    expect(
      clientFacts(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ os: 'ios', browser: 'safari', mobile: true, bot: false });
    expect(clientFacts('Googlebot/2.1 (+http://www.google.com/bot.html)').bot).toBe(true);
    expect(clientFacts(undefined)).toEqual({ os: 'other', browser: 'other', mobile: false, bot: true });
  });
});

describe('who certifies which star', () => {
  const levels148 = [
    { level: 'district', certifiesStars: [3] },
    { level: 'province', certifiesStars: [4] },
    { level: 'central', certifiesStars: [5] },
  ];
  const levels2026 = [
    { level: 'commune', certifiesStars: [] },
    { level: 'province', certifiesStars: [3, 4] },
    { level: 'central', certifiesStars: [5] },
  ];

  it('follows the rule-set levels', () => {
    expect(issuerProblem(levels148, 'district', 3)).toBeNull();
    expect(issuerProblem(levels148, 'province', 3)).toBe('starNotCertifiedByLevel');
    expect(issuerProblem(levels2026, 'province', 3)).toBeNull();
    expect(issuerProblem(levels2026, 'district', 3)).toBe('levelNotInRuleSet');
    expect(issuerProblem(levels2026, 'province', 5)).toBe('starNotCertifiedByLevel');
    expect(issuerProblem(levels2026, 'central', 5)).toBeNull();
  });
});
