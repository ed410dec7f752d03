import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  newDevicePage,
  screenshotOnFailure,
  seriousA11yViolations,
  server,
  snapshot,
} from './support/browser';

/**
 * A province's messy registry imported as an officer does it: upload the workbook (title rows,
 * merged header, old sector names, stars in every spelling, year-only recognitions, communes of a
 * merged province), keep the suggested mapping, run the dry run, answer each question once for all
 * its rows, commit skipping the rows the registry cannot support, and see the result.
 */
const FIXTURE = path.join(
  import.meta.dirname,
  '..',
  'fixtures',
  'registries',
  '01-title-rows-merged-header.xlsx',
);

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function logIn(page: Page) {
  const { demo, admin } = server();
  const demoAdmin = demo.accounts.find((a) => a.role === 'system_admin');
  const { email, password } =
    demoAdmin && demo.password ? { email: demoAdmin.email, password: demo.password } : admin;
  await page.goto('/');
  await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

describe('registry import journey', () => {
  it('uploads a messy registry, decides each value once, commits and shows the result', async () => {
    const { page } = await newDevicePage(browser, 'tablet');
    screenshotOnFailure(page, 'registry-import-journey');
    await logIn(page);

    await page.goto('/imports');
    await page
      .getByLabel(/Tỉnh của sổ đăng ký/)
      .first()
      .click();
    await page
      .getByRole('option', { name: /Ninh Bình/ })
      .first()
      .click();
    await page.locator('input[type="file"]').setInputFiles({
      name: 'so-ocop-ninh-binh.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: fs.readFileSync(FIXTURE),
    });
    await page.getByRole('button', { name: 'Tải lên', exact: true }).click();
    await expect
      .poll(() => new URL(page.url()).pathname, { timeout: 20_000 })
      .toMatch(/^\/imports\/[0-9a-f-]{36}$/);

    await page.getByRole('button', { name: 'Lưu cách ghép và xem trước' }).click();
    await page.getByRole('button', { name: 'Kiểm tra thử', exact: true }).click();
    await page.getByRole('heading', { name: 'Cần quyết định' }).waitFor({ timeout: 30_000 });
    await snapshot(page, 'registry-import-1-questions');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // "Đồ uống" for lotus tea is asked once, with the hint word from the product's name, never as alcohol.
    await page.getByText('Gợi ý từ tên sản phẩm: trà').first().waitFor();
    const questions = page
      .getByRole('region', { name: 'Cần quyết định' })
      .or(page.locator('section[aria-labelledby="questions-title"]'));
    const open = () => questions.first().getByText(/^(Sổ ghi|Sổ để trống)/);
    const total = await open().count();
    expect(total).toBeGreaterThan(0);
    // Undecided questions come first: answer the first one each time, with its first choice.
    for (let i = 0; i < total; i++) {
      const select = questions
        .first()
        .getByLabel(/^Chọn giá trị/)
        .first();
      await select.click();
      await page.getByRole('option').first().click();
      const save = questions.first().getByRole('button', { name: 'Lưu lựa chọn' }).first();
      await save.click();
      await expect
        .poll(
          () =>
            questions
              .first()
              .getByText(/^Đã quyết định/)
              .count(),
          { timeout: 20_000 },
        )
        .toBe(i + 1);
    }
    await snapshot(page, 'registry-import-2-decided');

    await page.getByRole('checkbox', { name: /Bỏ qua \d+ dòng có lỗi/ }).check();
    await page
      .locator('section[aria-labelledby="commit-title"]')
      .getByRole('button', { name: 'Ghi vào hệ thống' })
      .click();
    await page.getByRole('heading', { name: 'Kết quả nhập' }).waitFor({ timeout: 60_000 });
    await expect(page.getByText(/Tạo mới: [1-9]/).count()).resolves.toBe(1);
    await snapshot(page, 'registry-import-3-result');

    // The records the registry left incomplete are listed for the officer to complete.
    await page.goto('/imports');
    await page.getByRole('heading', { name: 'Hồ sơ nhập còn thiếu thông tin' }).waitFor();
  });
});
