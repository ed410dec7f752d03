import { describe, expect, it } from 'vitest';
import { dueThreshold, type ExpiryCandidate, expiryDispatchKey, expiryEmail } from './expiry';

describe('dueThreshold', () => {
  it('gives the tightest threshold crossed, none beyond 90 days or after the last day', () => {
    expect(dueThreshold(91)).toBeNull();
    expect(dueThreshold(90)).toBe(90);
    expect(dueThreshold(31)).toBe(90);
    expect(dueThreshold(30)).toBe(30);
    expect(dueThreshold(0)).toBe(30);
    expect(dueThreshold(-1)).toBeNull();
  });
});

describe('expiry notices', () => {
  it('keys a notice by number, last day and threshold, so a corrected end date is a new event', () => {
    expect(expiryDispatchKey('37-13285-0001-2025', '2028-01-31', 30)).toBe(
      'certificate-expiry:37-13285-0001-2025:2028-01-31:30',
    );
  });

  it('writes the e-mail in Vietnamese then English with the date as people read it', () => {
    const candidate: ExpiryCandidate = {
      id: 'c',
      number: '37-13285-0001-2025',
      product_id: 'p',
      product_name: 'Cơm cháy chà bông',
      subject_id: 's',
      subject_name: 'HTX Cơm cháy',
      star: 4,
      valid_to: '2028-01-31',
      subject_email: null,
      producers: [],
    };
    const mail = expiryEmail(candidate, 30, ['a@b.vn'], 'https://ocop.example.vn');
    expect(mail.subject).toContain('37-13285-0001-2025');
    expect(mail.text).toContain('hết hiệu lực ngày 31/01/2028, còn 30 ngày');
    expect(mail.text).toContain('ends on 2028-01-31');
    expect(mail.text).toContain('https://ocop.example.vn/');
  });
});
