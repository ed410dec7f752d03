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
 * A province's messy registry imported as an officer does it: upload the file, keep the suggested
 * mapping, run the dry run, answer each question once for all its rows, commit, and see the result
 * and the list of records the registry left incomplete.
 */
/**
 * A registry as provinces keep it, every row writable, with values a person must settle: "Đồ uống"
 * for two coffees (one question for both), stars as "★★★" (one question for both rows), "Đồ uống" for a
 * lotus tea, "Thực phẩm" for a pork roll.
 */
const REGISTRY = [
  'STT;Tên sản phẩm;Chủ thể;Loại hình;Nhóm sản phẩm;Hạng sao;Số QĐ;Ngày QĐ;Cơ quan cấp;Địa chỉ',
  '1;Cà phê rang xay Kim Sơn;HTX Cà phê Kim Sơn;HTX;Đồ uống;★★★;10/QĐ-UBND;15/03/2024;UBND huyện Kim Sơn;Xã Kim Sơn, tỉnh Ninh Bình',
  '2;Cà phê bột Gia Viễn;HTX Cà phê Gia Viễn;HTX;Đồ uống;★★★;10/QĐ-UBND;15/03/2024;UBND huyện Gia Viễn;Xã Gia Viễn, tỉnh Ninh Bình',
  '3;Trà sen Hoa Lư;HTX Trà sen Hoa Lư;HTX;Đồ uống;4 sao;11/QĐ-UBND;20/05/2024;UBND tỉnh Ninh Bình;Phường Hoa Lư, tỉnh Ninh Bình',
  '4;Giò lụa Kim Sơn;HTX Giò chả Kim Sơn;HTX;Thực phẩm;4 sao;12/QĐ-UBND;20/05/2024;UBND tỉnh Ninh Bình;Xã Kim Sơn, tỉnh Ninh Bình',
].join('\r\n');

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
      name: `so-ocop-${Date.now() % 100_000}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${REGISTRY}\r\n`, 'utf8'),
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

    // "Đồ uống" for the two coffees is one question for both rows, hinted by "cà phê", never as alcohol;
    // the two "★★★" are one question too.
    await page.getByText('Gợi ý từ tên sản phẩm: cà phê').first().waitFor();
    await expect(page.getByText('2 dòng: 2, 3').count()).resolves.toBe(2);
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

    await page
      .locator('section[aria-labelledby="commit-title"]')
      .getByRole('button', { name: 'Ghi vào hệ thống' })
      .click();
    await page.getByRole('heading', { name: 'Kết quả nhập' }).waitFor({ timeout: 60_000 });
    await expect(page.getByText('Tạo mới: 4').count()).resolves.toBe(1);
    await snapshot(page, 'registry-import-3-result');

    // The records the registry left incomplete are listed for the officer to complete.
    await page.goto('/imports');
    await page.getByRole('heading', { name: 'Hồ sơ nhập còn thiếu thông tin' }).waitFor();
  });
});
