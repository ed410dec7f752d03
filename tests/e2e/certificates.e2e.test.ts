import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, httpCaller, makeCertificate } from '../support/factories';
import {
  launchBrowser,
  newDevicePage,
  screenshotOnFailure,
  seriousA11yViolations,
  server,
  snapshot,
} from './support/browser';

/**
 * A province officer revokes a certificate on a tablet: finds it in the list by its number,
 * opens it, revokes it with a reason, decision number and date (confirming the second step), and
 * the public verification page — the one a consumer's phone opens from the QR code — says
 * "revoked" at once. The certificate is issued through the officers' API beforehand.
 */
let browser: Browser;
let certificate: { id: string; number: string };
const OFFICER = 'tinh@demo.ocop.vn';

beforeAll(async () => {
  browser = await launchBrowser();
  const api = await httpCaller(server().baseUrl, OFFICER, server().demo.password);
  // Any demo product without a certificate in force will do (other journeys may certify some).
  const products = await expectStatus(
    api<{ items: { id: string; name: string }[] }>('GET', '/products?pageSize=100'),
    200,
    'list the demo products',
  );
  for (const product of products.items) {
    try {
      certificate = await makeCertificate(api, product.id, { decisionDate: '2026-07-15' });
      break;
    } catch (error) {
      if (!String(error).includes('got 409')) throw error;
    }
  }
  expect(certificate, 'a demo product without a certificate in force').toBeTruthy();
});

afterAll(async () => {
  await browser?.close();
});

async function logIn(page: Page) {
  await page.goto('/login?next=%2Fcertificates');
  await page.getByLabel('Email').fill(OFFICER);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(server().demo.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

describe('revoking a certificate', () => {
  it('shows the revocation on the public verification page at once', async () => {
    const { context, page } = await newDevicePage(browser, 'tablet');
    screenshotOnFailure(page, 'certificates-revoke');
    try {
      await logIn(page);
      await expect.poll(() => new URL(page.url()).pathname).toBe('/certificates');
      await page.getByRole('heading', { name: 'Giấy chứng nhận OCOP', level: 1 }).waitFor();
      await page.getByRole('searchbox', { name: 'Tìm kiếm' }).fill(certificate.number);
      await page.getByRole('link', { name: certificate.number }).click();
      await page.getByRole('heading', { name: `Giấy chứng nhận ${certificate.number}` }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Thu hồi' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(/Lý do thu hồi/).click();
      await page.getByRole('option', { name: 'Vi phạm an toàn thực phẩm' }).click();
      await dialog.getByLabel(/Số quyết định thu hồi/).fill('99/QĐ-UBND');
      await dialog.getByLabel(/Ngày quyết định thu hồi/).fill('2026-11-20');
      await snapshot(page, 'certificates-revoke-form');
      await dialog.getByRole('button', { name: 'Thu hồi' }).click();
      await dialog.getByRole('button', { name: 'Xác nhận thu hồi' }).click();
      await page.getByText('Giấy chứng nhận đã bị thu hồi').waitFor();
      await expect.poll(() => page.getByText('Đã bị thu hồi').first().isVisible()).toBe(true);
      expect(await seriousA11yViolations(page)).toEqual([]);

      const [publicPage] = await Promise.all([
        context.waitForEvent('page'),
        page.getByRole('link', { name: 'Mở trang tra cứu công khai' }).click(),
      ]);
      await publicPage.waitForLoadState();
      expect(new URL(publicPage.url()).pathname).toBe(`/v/${certificate.number}`);
      await expect
        .poll(() =>
          publicPage
            .getByText(/thu hồi/i)
            .first()
            .isVisible(),
        )
        .toBe(true);
      await expect.poll(() => publicPage.getByText('99/QĐ-UBND').first().isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});
