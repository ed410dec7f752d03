import { ensureChromium } from './support/chromium';

// `npm test` runs this before the browser suite, so an install happens once, outside the tests' time limits.
try {
  console.log(`Chromium: ${ensureChromium()}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
