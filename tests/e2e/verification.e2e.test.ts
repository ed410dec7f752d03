import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiCaller, expectStatus, httpCaller, makeCertificate } from '../support/factories';
import {
  launchBrowser,
  newDevicePage,
  screenshotOnFailure,
  seriousA11yViolations,
  server,
} from './support/browser';

/**
 * A consumer scans the QR code on a package with a phone: the public verification page opens
 * without any login, says plainly whether the certificate holds, and passes the accessibility
 * rules. A tampered code is refused. The certificate is issued through the officers' API.
 */
let browser: Browser;
let verificationUrl: string;
let certificateId: string;
let officer: ApiCaller;

beforeAll(async () => {
  browser = await launchBrowser();
  officer = await httpCaller(server().baseUrl, 'tinh@demo.ocop.vn', server().demo.password);
  const products = await expectStatus(
    officer<{ items: { id: string }[] }>('GET', '/products?q=com%20chay%20cha%20bong'),
    200,
    'find the demo product',
  );
  const certificate = await makeCertificate(officer, products.items[0]!.id, {
    star: 4,
    decisionNumber: '1234/QĐ-UBND',
    decisionDate: '2026-06-30',
  });
  verificationUrl =
    new URL(certificate.verificationUrl).pathname + new URL(certificate.verificationUrl).search;
  certificateId = certificate.id;
});

afterAll(async () => {
  await browser?.close();
});

describe('public verification on a phone', () => {
  it('shows a valid certificate with its product, stars and status, and passes axe', async () => {
    const { context, page } = await newDevicePage(browser, 'phone');
    screenshotOnFailure(page, 'verification-valid');
    try {
      const response = await page.goto(verificationUrl);
      expect(response?.status()).toBe(200);
      await expect.poll(() => page.getByText('Cơm cháy chà bông').first().isVisible()).toBe(true);
      await expect
        .poll(() =>
          page
            .getByText(/Còn hiệu lực/)
            .first()
            .isVisible(),
        )
        .toBe(true);
      expect(await seriousA11yViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a revocation at once, with its reason', async () => {
    await expectStatus(
      officer('POST', `/certificates/${certificateId}/revocation`, {
        reasonCategory: 'food_safety',
        decisionNumber: '77/QĐ-UBND',
        decisionDate: '2026-11-20',
      }),
      200,
      'revoke the certificate',
    );
    const { context, page } = await newDevicePage(browser, 'phone');
    screenshotOnFailure(page, 'verification-revoked');
    try {
      await page.goto(verificationUrl);
      await expect
        .poll(() =>
          page
            .getByText(/thu hồi/i)
            .first()
            .isVisible(),
        )
        .toBe(true);
      expect(await seriousA11yViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('refuses a tampered code', async () => {
    const { context, page } = await newDevicePage(browser, 'phone');
    screenshotOnFailure(page, 'verification-tampered');
    try {
      const tampered = verificationUrl.replace(
        /s=([A-Za-z0-9_-])/,
        (_, c: string) => `s=${c === 'A' ? 'B' : 'A'}`,
      );
      expect(tampered).not.toBe(verificationUrl);
      await page.goto(tampered);
      await expect
        .poll(() =>
          page
            .getByText(/Không xác thực được/i)
            .first()
            .isVisible(),
        )
        .toBe(true);
      expect(await seriousA11yViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
