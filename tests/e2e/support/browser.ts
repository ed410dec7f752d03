import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { inject, onTestFailed } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';
import { resultsDir } from './server';

/** The devices the journeys run on: field officers work from phones and tablets. */
export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  tablet: { width: 820, height: 1180 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export const server = () => inject('e2eServer');

/** playwright-core's launch() gives each browser a fresh temporary profile (user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
}

export async function newDevicePage(
  browser: Browser,
  viewport: ViewportName,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: server().baseUrl,
    viewport: VIEWPORTS[viewport],
    isMobile: viewport === 'phone',
    hasTouch: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  // Fail fast on a broken page rather than waiting for every locator's timeout.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/** Call at the top of a test: when it fails, the page is saved to test-results/<name>.png. */
export function screenshotOnFailure(page: Page, name: string): void {
  onTestFailed(async () => {
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    console.error(`Screenshot of the failed page: ${path.relative(process.cwd(), file)} (at ${page.url()})`);
  });
}

export type A11yViolation = { id: string; impact: string; help: string; targets: string[] };

/** WCAG 2.1 A/AA rules; only serious and critical violations fail a test, the rest are reported. */
export async function seriousA11yViolations(page: Page): Promise<A11yViolation[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}

/** With E2E_SCREENSHOTS=1, saves the page at a named step of a journey, to look at what a person would see. */
export async function snapshot(page: Page, name: string): Promise<void> {
  if (!process.env.E2E_SCREENSHOTS) return;
  fs.mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({
    path: path.join(resultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`),
    fullPage: true,
  });
}
