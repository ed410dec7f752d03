import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldAccents } from '../../src/shared/text';
import {
  launchBrowser,
  newDevicePage,
  screenshotOnFailure,
  seriousA11yViolations,
  server,
  snapshot,
  type ViewportName,
} from './support/browser';

/**
 * The registry as a commune or province officer uses it in the field: log in on a phone or a
 * tablet, register a producer, register one of its products with a photo, find the product again
 * by typing without accents, log out. Locators are the accessible names a screen reader announces.
 */
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function account() {
  const { demo, admin } = server();
  const demoAdmin = demo.accounts.find((a) => a.role === 'system_admin');
  return demoAdmin && demo.password ? { email: demoAdmin.email, password: demo.password } : admin;
}

async function logIn(page: Page) {
  const { email, password } = account();
  await page.goto('/');
  await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

/** On a phone the navigation hides behind the menu button; on a tablet it is always shown. */
async function openSection(page: Page, name: 'Chủ thể' | 'Sản phẩm') {
  const menu = page.getByRole('button', { name: 'Mở menu' });
  if (await menu.isVisible()) await menu.click();
  await page
    .getByRole('navigation', { name: 'Điều hướng chính' })
    .getByRole('link', { name, exact: true })
    .click();
}

/** A Mantine Select: open it, type to narrow a searchable one, pick the option. */
async function choose(page: Page, label: string, option: string, typed?: string) {
  const input = page
    .getByRole('textbox', { name: label })
    .or(page.getByLabel(label, { exact: true }))
    .first();
  await input.click();
  if (typed !== undefined) await input.fill(typed);
  await page.getByRole('option', { name: option, exact: true }).first().click();
}

async function productPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 196, g: 120, b: 40 } } })
    .jpeg()
    .toBuffer();
}

describe.each<ViewportName>(['phone', 'tablet'])('registry journey on a %s', (viewport) => {
  it('logs in, creates a subject and a product with a photo, finds it without accents, logs out', async () => {
    const { page, context } = await newDevicePage(browser, viewport);
    screenshotOnFailure(page, `registry-journey-${viewport}`);
    const suffix = `${viewport === 'phone' ? 'Điện thoại' : 'Máy tính bảng'} ${Date.now() % 100_000}`;
    const subjectName = `HTX Nông nghiệp Xuân Thành ${suffix}`;
    const productName = `Cơm cháy chà bông Đặc biệt ${suffix}`;

    await logIn(page);

    // A subject: the producer, located in a current commune.
    await openSection(page, 'Chủ thể');
    await page
      .getByRole('link', { name: 'Thêm chủ thể' })
      .or(page.getByRole('button', { name: 'Thêm chủ thể' }))
      .first()
      .click();
    await page.getByLabel('Tên chủ thể').fill(subjectName);
    await choose(page, 'Loại hình', 'Hợp tác xã');
    await choose(page, 'Tỉnh/Thành phố', 'Tỉnh Ninh Bình', 'ninh binh');
    await choose(page, 'Xã/Phường', 'Xã Kim Sơn', 'kim son');
    await page.getByLabel('Địa chỉ (số nhà, thôn/ấp)').fill('Thôn Tân Thành');
    await page.getByLabel('Người đại diện theo pháp luật').fill('Trần Thị Hoa');
    await choose(page, 'Giới tính người đại diện', 'Nữ');
    await snapshot(page, `journey-${viewport}-1-subject-form`);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã thêm chủ thể.').first().waitFor();
    await page.getByRole('heading', { name: subjectName }).waitFor();

    // Its product, with a photo chosen before saving (uploaded once the product exists).
    await page
      .getByRole('link', { name: 'Thêm sản phẩm cho chủ thể này' })
      .or(page.getByRole('button', { name: 'Thêm sản phẩm cho chủ thể này' }))
      .first()
      .click();
    await page.getByLabel('Tên sản phẩm').fill(productName);
    await choose(page, 'Bộ sản phẩm', 'Đồ ăn nhanh', 'do an nhanh');
    await page.getByLabel('Chọn ảnh sản phẩm').setInputFiles({
      name: 'com-chay.jpg',
      mimeType: 'image/jpeg',
      buffer: await productPhoto(),
    });
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã thêm sản phẩm.').first().waitFor();
    await page.getByRole('heading', { name: productName }).waitFor();
    await page.getByRole('img', { name: `Ảnh 1 của ${productName}` }).waitFor();
    await snapshot(page, `journey-${viewport}-2-product-detail`);

    // Found again the way people type on a phone: no accents.
    await openSection(page, 'Sản phẩm');
    const query = foldAccents(productName);
    expect(query).not.toBe(productName.toLowerCase());
    await page
      .getByRole('searchbox', { name: 'Tìm kiếm' })
      .or(page.getByLabel('Tìm kiếm'))
      .first()
      .fill(query);
    // The list follows the search box after a pause: wait for the searched list (one hit among the
    // demo province's products), not the one before it.
    await page.getByText('Hiển thị 1–1 trên 1').waitFor();
    const result = page.getByRole('link', { name: productName });
    await expect(result.count()).resolves.toBe(1);
    await snapshot(page, `journey-${viewport}-3-search`);
    await result.click();
    await page.getByRole('heading', { name: productName }).waitFor();

    // Logged out, the registry is closed again.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await page.goto('/products');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });
});

describe('demo start-up', () => {
  it('prints demo logins that each open a session with the printed role', async () => {
    const { demo, baseUrl } = server();
    // OCOP_DEMO=1 promises logins for every role; an empty list is a broken demo, not a skip.
    expect(demo.password).not.toBe('');
    expect(new Set(demo.accounts.map((a) => a.role))).toEqual(
      new Set(['commune_officer', 'council_member', 'producer', 'province_officer', 'system_admin']),
    );
    for (const account of demo.accounts) {
      const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: account.email, password: demo.password }),
      });
      const body = (await response.json()) as { user?: { role?: string } };
      expect({ email: account.email, status: response.status, role: body.user?.role }).toEqual({
        email: account.email,
        status: 200,
        role: account.role,
      });
    }
  });
});

describe.each<ViewportName>(['phone', 'tablet'])('accessibility on a %s (axe, WCAG 2.1 AA)', (viewport) => {
  it('the login page has no serious or critical violations', async () => {
    const { page, context } = await newDevicePage(browser, viewport);
    screenshotOnFailure(page, `a11y-login-${viewport}`);
    await page.goto('/login');
    await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it('the subject and product lists have no serious or critical violations', async () => {
    const { page, context } = await newDevicePage(browser, viewport);
    screenshotOnFailure(page, `a11y-lists-${viewport}`);
    await logIn(page);
    for (const [path, title] of [
      ['/subjects', 'Chủ thể OCOP'],
      ['/products', 'Sản phẩm OCOP'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { name: title }).waitFor();
      // The rows arrive after the heading; check the page as a person sees it, with its data.
      await page
        .getByText(/Hiển thị \d+–\d+ trên \d+|Chưa có|Không có kết quả/)
        .first()
        .waitFor();
      expect({ path, violations: await seriousA11yViolations(page) }).toEqual({ path, violations: [] });
    }
    await context.close();
  });
});
