import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Criterion, Sheet } from '../../src/modules/criteria/documents';
import { localDate } from '../../src/shared/dates';
import { launchBrowser, newDevicePage, screenshotOnFailure, server } from './support/browser';
import { rootDir } from './support/server';

/**
 * The yearly evaluation as its people do it, each on a tablet with their own login, in the demo
 * province's open cycle: the producer files and submits a dossier, the commune pre-checks it, the
 * province accepts it and hands it to the council, three members score on the tablet form, the
 * chair closes scoring, the province proposes, publishes and issues the recognition decision, and
 * the certificate follows from it. Locators are the accessible names a screen reader announces.
 */
const PRODUCT = 'Rau cải mầm hữu cơ Gia Viễn';
const COUNCIL = ['hoidong@demo.ocop.vn', 'hoidong2@demo.ocop.vn', 'hoidong3@demo.ocop.vn'];
/** Each member's total: a mean of 80.67, a 4★ product, which the province certifies itself. */
const MEMBER_TOTALS = [84, 80, 78];
const REQUIRED_DOCUMENTS = [
  'Phiếu đăng ký sản phẩm (Mẫu 01)',
  'Phiếu tự đánh giá, phân hạng sản phẩm theo bộ tiêu chí (Mẫu 02)',
  'Giấy chứng nhận đăng ký kinh doanh của chủ thể',
  '05 mẫu sản phẩm',
];
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

const sheet = JSON.parse(
  fs.readFileSync(path.join(rootDir, 'data/criteria/sheets/26-2026/demo-rau-cu-qua-hat-tuoi.json'), 'utf8'),
) as Sheet;

function leafCriteria(): Criterion[] {
  const leaves: Criterion[] = [];
  const walk = (criteria: Criterion[]) => {
    for (const criterion of criteria) {
      if (criterion.criteria?.length) walk(criterion.criteria);
      else leaves.push(criterion);
    }
  };
  for (const part of sheet.parts) for (const group of part.groups) walk(group.criteria);
  return leaves;
}

/**
 * Which option to tick on each criterion (by its position on screen) for a sheet worth `target`:
 * the best option everywhere, lowered on criteria without a star requirement until the target is met.
 */
function choicesWorth(target: number): { code: string; index: number }[] {
  const leaves = leafCriteria();
  const best = (c: Criterion) => Math.max(...c.options!.map((o) => o.points));
  let reduce = leaves.reduce((sum, leaf) => sum + best(leaf), 0) - target;
  return leaves.map((leaf) => {
    const options = leaf.options!;
    const marked = leaf.requiredForStar !== undefined || options.some((o) => o.requiredForStar !== undefined);
    let chosen = options.findIndex((o) => o.points === best(leaf));
    if (!marked) {
      for (const [index, option] of options.entries()) {
        const saved = best(leaf) - option.points;
        if (saved <= reduce && saved > best(leaf) - options[chosen]!.points) chosen = index;
      }
      reduce -= best(leaf) - options[chosen]!.points;
    }
    return { code: leaf.code, index: chosen };
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Ticks one option per criterion of the sheet on screen (each criterion is a fieldset named "CODE. Name"). */
async function scoreSheet(page: Page, target: number) {
  for (const { code, index } of choicesWorth(target)) {
    const criterion = page.getByRole('group', { name: new RegExp(`^${escapeRegExp(code)}\\. `) });
    await criterion.getByRole('radio').nth(index).check();
  }
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh tablet session for one demo account. */
async function signIn(email: string): Promise<Page> {
  const { demo } = server();
  const { page } = await newDevicePage(browser, 'tablet');
  screenshotOnFailure(page, `evaluation-${email.split('@')[0]}`);
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(demo.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
  return page;
}

async function closeSession(page: Page) {
  await page.context().close();
}

/** A step button of the dossier page, confirmed in its dialog (choosing the council when it asks for one). */
async function takeStep(page: Page, name: string, council?: RegExp) {
  await page.getByRole('button', { name, exact: true }).click();
  const dialog = page.getByRole('dialog');
  if (council) {
    await dialog
      .getByRole('textbox', { name: 'Hội đồng' })
      .or(dialog.getByRole('combobox', { name: 'Hội đồng' }))
      .first()
      .click();
    await page.getByRole('option', { name: council }).click();
  }
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

const stateBadge = (page: Page, state: string) => page.getByText(state, { exact: true }).first();

describe('evaluation journey on a tablet', () => {
  it('producer submits → commune pre-checks → province accepts → three members score → chair closes → decision → certificate', async () => {
    // ---- the producer files the dossier, fills Mẫu 01, attaches the documents, self-assesses and submits
    const producer = await signIn('chuthe@demo.ocop.vn');
    await producer.goto('/evaluation');
    await producer
      .getByRole('link', { name: /đợt 1 \(demo\)/ })
      .first()
      .click();
    const cycleUrl = new URL(producer.url()).pathname;
    await producer
      .getByRole('combobox', { name: 'Sản phẩm' })
      .or(producer.getByRole('textbox', { name: 'Sản phẩm' }))
      .first()
      .click();
    await producer.getByRole('option', { name: PRODUCT }).click();
    await producer.getByRole('button', { name: 'Lập hồ sơ' }).click();
    await expect
      .poll(() => new URL(producer.url()).pathname)
      .toMatch(/^\/evaluation\/dossiers\/[0-9a-f-]{36}$/);
    const dossierUrl = new URL(producer.url()).pathname;
    await producer.getByLabel('Người đăng ký').fill('Phạm Thị Thu Hà');
    await producer.getByLabel('Điện thoại').fill('0912 345 678');
    await producer.getByRole('button', { name: 'Lưu phiếu đăng ký' }).click();
    await producer.getByText('Đã lưu phiếu đăng ký.').waitFor();
    for (const item of REQUIRED_DOCUMENTS) {
      const picker = producer.getByLabel(`Chọn tệp cho «${item}»`);
      const [chooser] = await Promise.all([producer.waitForEvent('filechooser'), picker.click()]);
      await chooser.setFiles({ name: 'ho-so.pdf', mimeType: 'application/pdf', buffer: PDF });
      const row = producer.locator('li').filter({ has: picker });
      await row.getByRole('button', { name: 'Tải lên' }).click();
      await row.getByText('ho-so.pdf').first().waitFor();
    }
    await producer.getByRole('link', { name: 'Làm phiếu tự đánh giá' }).click();
    await scoreSheet(producer, 82);
    await producer.getByText(/Đã lưu lúc/).waitFor();
    await producer.goto(dossierUrl);
    await takeStep(producer, 'Nộp hồ sơ');
    await stateBadge(producer, 'Đã nộp').waitFor();
    await closeSession(producer);

    // ---- the commune pre-checks, the province accepts and assigns the council
    const commune = await signIn('xa.giavien@demo.ocop.vn');
    await commune.goto(dossierUrl);
    await takeStep(commune, 'Kiểm tra, đề nghị lên tỉnh');
    await closeSession(commune);

    const province = await signIn('tinh@demo.ocop.vn');
    await province.goto(dossierUrl);
    await takeStep(province, 'Tiếp nhận hồ sơ');
    await takeStep(
      province,
      'Giao hội đồng chấm',
      /Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Ninh Bình/,
    );
    await stateBadge(province, 'Hội đồng đang chấm').waitFor();

    // ---- three members score on the tablet form and submit; nobody sees the others' points
    for (const [index, email] of COUNCIL.entries()) {
      const member = await signIn(email);
      await member.goto(`${dossierUrl}/score`);
      await scoreSheet(member, MEMBER_TOTALS[index]!);
      await member.getByText(/Đã lưu lúc/).waitFor();
      await member.getByRole('button', { name: 'Nộp phiếu chấm' }).click();
      await member.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
      await member.getByText('Đã nộp phiếu chấm.').waitFor();
      // Submitted means locked: every choice is now read-only.
      expect(await member.getByRole('radio').first().isDisabled()).toBe(true);
      if (index < COUNCIL.length - 1) await closeSession(member);
      else {
        // ---- the chair (the first member) closes scoring and sees the result and its star
        await closeSession(member);
      }
    }
    const chair = await signIn(COUNCIL[0]!);
    await chair.goto(`${dossierUrl}/sheets`);
    await chair.getByRole('button', { name: 'Kết thúc chấm điểm' }).click();
    await chair.getByRole('dialog').getByRole('button', { name: 'Kết thúc và tính kết quả' }).click();
    // 84, 80 and 78: a mean of 80.666…, truncated to two decimals as the rule-set says.
    await chair.getByText('80,66', { exact: true }).first().waitFor();
    await chair.getByText('4 sao').first().waitFor();
    await closeSession(chair);

    // ---- the province proposes, publishes and issues the recognition decision
    await province.goto(dossierUrl);
    await takeStep(province, 'Đề nghị công nhận');
    await province.goto(`${cycleUrl}/results`);
    await province.getByRole('button', { name: 'Công bố kết quả' }).click();
    await province.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
    await province.getByText(/Đã công bố \d+ kết quả mới/).waitFor();
    const number = `${Date.now() % 100_000}/QĐ-UBND`;
    await province.getByLabel('Số quyết định').fill(number);
    await province.getByLabel('Ngày quyết định').fill(localDate(new Date(), 'Asia/Ho_Chi_Minh'));
    await province.getByLabel('Họ tên người ký').fill('Nguyễn Văn An');
    await province.getByLabel('Chức vụ người ký').fill('Phó Chủ tịch Ủy ban nhân dân tỉnh');
    await province.getByRole('button', { name: 'Ra quyết định' }).click();
    await province.getByRole('heading', { name: `Quyết định số ${number}` }).waitFor();
    await province.getByText(PRODUCT).first().waitFor();

    // ---- the certificate follows from the decision, and the producer's product is certified
    await province.getByRole('link', { name: 'Giấy chứng nhận của quyết định' }).click();
    await province.getByRole('button', { name: 'Cấp giấy chứng nhận theo quyết định' }).click();
    await province.getByText(/Đã cấp 1 giấy chứng nhận mới/).waitFor();
    await closeSession(province);

    // ---- the producer sees the published result and the recognition on the dossier
    const back = await signIn('chuthe@demo.ocop.vn');
    await back.goto(dossierUrl);
    await back.getByRole('heading', { name: 'Kết quả đánh giá' }).waitFor();
    await stateBadge(back, 'Được công nhận').waitFor();
    await back.getByText('80,66', { exact: true }).first().waitFor();
    await closeSession(back);
  }, 420_000);
});
