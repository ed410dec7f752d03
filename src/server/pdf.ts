import fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * What every printed PDF of the platform shares (certificates, council minutes). Fonts are Be Vietnam
 * Pro TTF: pdfkit renders WOFF/WOFF2 Vietnamese invisibly, and the ★ glyph is missing from text
 * fonts, so stars are drawn as shapes.
 */

const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve(
  '@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf',
);
const FONT_BOLD = require.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf');
// Read once: a province prints certificates and minutes in batches.
let fonts: { regular: Buffer; bold: Buffer } | undefined;

export function pdfFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= { regular: fs.readFileSync(FONT_REGULAR), bold: fs.readFileSync(FONT_BOLD) };
  return fonts;
}

/** The outline of a five-pointed star centred on (cx, cy), as polygon points. */
export function starPoints(cx: number, cy: number, outer: number, inner = outer * 0.4): [number, number][] {
  return Array.from({ length: 10 }, (_, i) => {
    const radius = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    return [cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)] as [number, number];
  });
}
