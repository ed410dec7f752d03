import { describe, expect, it } from 'vitest';
import { localDate } from '../../shared/dates';
import {
  type CertificateFacts,
  deriveProductStatus,
  gs1CheckDigit,
  gtinProblem,
  hasValidGs1CheckDigit,
  photoUploadProblem,
  recognitionYearProblem,
  STANDARD_CODES,
  STANDARDS,
  sniffImageType,
} from './rules';

/**
 * GS1 check-digit vectors from /work/shared/reference/standards/digital-link/digital-link.js-test-vectors.json
 * (collected from gs1/gs1-syntax-engine lint_csum.c and gs1/digital-link.js tests/index.js, Apache-2.0).
 * The 18-digit case is an SSCC: same algorithm, but not a GTIN length.
 */
const CHECK_DIGIT_VECTORS = [
  { value: '02345673', valid: true },
  { value: '12345673', valid: false },
  { value: '416000336108', valid: true },
  { value: '416000336109', valid: false },
  { value: '1234567890128', valid: true },
  { value: '1234567890129', valid: false },
  { value: '12345678901231', valid: true },
  { value: '12345678901232', valid: false },
  { value: '123456789012345675', valid: true },
  { value: '123456789012345670', valid: false },
  { value: '012345678905', valid: true },
  { value: '012345678906', valid: false },
  { value: '00012345678905', valid: true },
  { value: '00012345678908', valid: false },
];

describe('GS1 check digit', () => {
  it.each(CHECK_DIGIT_VECTORS)('$value is valid: $valid', ({ value, valid }) => {
    expect(hasValidGs1CheckDigit(value)).toBe(valid);
  });

  it('computes the digit itself (a Vietnamese 893 GTIN-13)', () => {
    // From the right: 9·3 + 8 + 7·3 + 6 + 5·3 + 4 + 3·3 + 2 + 1·3 + 3 + 9·3 + 8 = 133 → 10 − 3 = 7.
    expect(gs1CheckDigit('893123456789')).toBe(7);
    expect(gs1CheckDigit('01234567890')).toBe(5);
  });

  it('classifies GTIN problems: length, non-digits, check digit', () => {
    for (const { value, valid } of CHECK_DIGIT_VECTORS) {
      const expected = value.length === 18 ? 'format' : valid ? null : 'checkDigit';
      expect(gtinProblem(value)).toBe(expected);
    }
    expect(gtinProblem('')).toBe('format');
    expect(gtinProblem('1234567')).toBe('format');
    expect(gtinProblem('123456789012345')).toBe('format');
    expect(gtinProblem('1234567890l28')).toBe('format');
    expect(gtinProblem('８９３１２３４５')).toBe('format');
    expect(gtinProblem('8931234567897')).toBeNull();
    expect(gtinProblem('8931234567892')).toBe('checkDigit');
  });
});

describe('standards', () => {
  it('has unique codes with both labels', () => {
    expect(new Set(STANDARD_CODES).size).toBe(STANDARDS.length);
    for (const s of STANDARDS) {
      expect(s.vi.length).toBeGreaterThan(0);
      expect(s.en.length).toBeGreaterThan(0);
    }
    for (const code of ['VIETGAP', 'ORGANIC', 'HACCP', 'ISO_22000', 'TCCS'])
      expect(STANDARD_CODES).toContain(code);
  });
});

describe('deriveProductStatus', () => {
  const cert = (over: Partial<CertificateFacts> = {}): CertificateFacts => ({
    validFrom: '2024-03-01',
    validTo: '2027-02-28',
    revokedAt: null,
    ...over,
  });
  const registered = new Date('2024-01-10T03:00:00Z');
  const base = { registeredAt: null, archivedAt: null, certificates: [] };

  it('is draft before registration and registered after', () => {
    expect(deriveProductStatus(base, '2025-01-01')).toBe('draft');
    expect(deriveProductStatus({ ...base, registeredAt: registered }, '2025-01-01')).toBe('registered');
  });

  it('counts registration from its local calendar day (Asia/Ho_Chi_Minh)', () => {
    // 2024-01-09T18:30Z is already 10/01 01:30 in Vietnam.
    const lateEvening = new Date('2024-01-09T18:30:00Z');
    expect(deriveProductStatus({ ...base, registeredAt: lateEvening }, '2024-01-09')).toBe('draft');
    expect(deriveProductStatus({ ...base, registeredAt: lateEvening }, '2024-01-10')).toBe('registered');
    expect(localDate(lateEvening)).toBe('2024-01-10');
    expect(localDate(lateEvening, 'UTC')).toBe('2024-01-09');
  });

  it('is certified from the first to the last day of validity, inclusive', () => {
    const record = { ...base, registeredAt: registered, certificates: [cert()] };
    expect(deriveProductStatus(record, '2024-02-29')).toBe('registered');
    expect(deriveProductStatus(record, '2024-03-01')).toBe('certified');
    expect(deriveProductStatus(record, '2027-02-28')).toBe('certified');
    expect(deriveProductStatus(record, '2027-03-01')).toBe('expired');
  });

  it('is revoked from the revocation date, not before', () => {
    const record = { ...base, registeredAt: registered, certificates: [cert({ revokedAt: '2025-06-15' })] };
    expect(deriveProductStatus(record, '2025-06-14')).toBe('certified');
    expect(deriveProductStatus(record, '2025-06-15')).toBe('revoked');
    expect(deriveProductStatus(record, '2030-01-01')).toBe('revoked');
  });

  it('lets a newer certificate in force win over an expired or revoked one', () => {
    const old = cert({ validFrom: '2020-05-01', validTo: '2023-04-30', revokedAt: '2022-01-01' });
    const renewed = cert({ validFrom: '2023-06-01', validTo: '2026-05-31' });
    const record = { ...base, registeredAt: registered, certificates: [old, renewed] };
    expect(deriveProductStatus(record, '2022-06-01')).toBe('revoked');
    expect(deriveProductStatus(record, '2024-01-01')).toBe('certified');
    expect(deriveProductStatus(record, '2026-06-01')).toBe('expired');
  });

  it('judges by the latest started certificate when none is in force', () => {
    const revokedOld = cert({ validFrom: '2019-01-01', validTo: '2021-12-31', revokedAt: '2020-01-01' });
    const expiredNewer = cert({ validFrom: '2022-01-01', validTo: '2024-12-31' });
    expect(deriveProductStatus({ ...base, certificates: [expiredNewer, revokedOld] }, '2025-06-01')).toBe(
      'expired',
    );
    const revokedNewer = cert({ validFrom: '2022-01-01', validTo: '2024-12-31', revokedAt: '2023-01-01' });
    const expiredOld = cert({ validFrom: '2019-01-01', validTo: '2021-12-31' });
    expect(deriveProductStatus({ ...base, certificates: [expiredOld, revokedNewer] }, '2025-06-01')).toBe(
      'revoked',
    );
  });

  it('ignores certificates dated in the future and superseded (corrected) ones', () => {
    const future = cert({ validFrom: '2030-01-01', validTo: '2032-12-31' });
    expect(
      deriveProductStatus({ ...base, registeredAt: registered, certificates: [future] }, '2025-01-01'),
    ).toBe('registered');
    const wrong = cert({ revokedAt: '2024-05-01', supersededBy: 'c2' });
    const corrected = cert();
    expect(deriveProductStatus({ ...base, certificates: [wrong, corrected] }, '2025-01-01')).toBe(
      'certified',
    );
    expect(deriveProductStatus({ ...base, certificates: [wrong] }, '2025-01-01')).toBe('draft');
  });

  it('keeps a certificate of an unregistered (historic, imported) product', () => {
    expect(deriveProductStatus({ ...base, certificates: [cert()] }, '2025-01-01')).toBe('certified');
  });

  it('does not turn archiving into a status: legal facts stay', () => {
    const archivedAt = new Date('2025-01-01T00:00:00Z');
    expect(deriveProductStatus({ ...base, archivedAt }, '2025-06-01')).toBe('draft');
    expect(deriveProductStatus({ ...base, registeredAt: registered, archivedAt }, '2025-06-01')).toBe(
      'registered',
    );
    expect(
      deriveProductStatus({ registeredAt: registered, archivedAt, certificates: [cert()] }, '2025-06-01'),
    ).toBe('certified');
  });
});

describe('photo sniffing and limits', () => {
  const bytes = (...values: number[]) => Uint8Array.from(values);
  const ascii = (text: string) => new TextEncoder().encode(text);

  it('recognises JPEG, PNG and WebP by their first bytes only', () => {
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0))).toBe('image/jpeg');
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffImageType(ascii('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses what only claims to be an image', () => {
    expect(sniffImageType(ascii('<!doctype html><title>x</title>'))).toBeNull();
    expect(sniffImageType(ascii('%PDF-1.7\n'))).toBeNull();
    expect(sniffImageType(ascii('GIF89a'))).toBeNull();
    expect(sniffImageType(ascii('RIFF\u0000\u0000\u0000\u0000WAVEfmt '))).toBeNull();
    expect(sniffImageType(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffImageType(bytes())).toBeNull();
  });

  it('names the problem of an upload: empty, too large, not an image', () => {
    const jpeg = bytes(0xff, 0xd8, 0xff, 0xe0);
    expect(photoUploadProblem(bytes(), 100)).toBe('empty');
    expect(photoUploadProblem(jpeg, 3)).toBe('tooLarge');
    expect(photoUploadProblem(jpeg, 4)).toBeNull();
    expect(photoUploadProblem(ascii('hello'), 100)).toBe('notAnImage');
  });
});

describe('craft village recognition year', () => {
  it('accepts 1950 up to the current year', () => {
    expect(recognitionYearProblem(1950, '2026-11-24')).toBeNull();
    expect(recognitionYearProblem(2026, '2026-11-24')).toBeNull();
    expect(recognitionYearProblem(1949, '2026-11-24')).toBe('range');
    expect(recognitionYearProblem(2027, '2026-11-24')).toBe('range');
  });
});
