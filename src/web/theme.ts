import { type CSSVariablesResolver, createTheme, InputWrapper, type MantineColorsTuple } from '@mantine/core';

/**
 * Colours chosen for WCAG AA: Mantine's default shades 6–7 fail 4.5:1 on white (axe flags
 * them), so every palette the app uses is re-tuned so that shade 7 — the one filled buttons,
 * links and light badges use — has at least 4.5:1 against white and against its own light tint.
 */
const ocop: MantineColorsTuple = [
  '#e8f5ec',
  '#c9e8d3',
  '#98d1ab',
  '#63b882',
  '#3a9f60',
  '#218549',
  '#17703c',
  '#0f5f32',
  '#0a4f29',
  '#063f20',
];
const red: MantineColorsTuple = [
  '#fff5f5',
  '#ffe3e3',
  '#ffc9c9',
  '#ffa8a8',
  '#ff8787',
  '#fa5252',
  '#e03131',
  '#b42020',
  '#a61e1e',
  '#861515',
];
const orange: MantineColorsTuple = [
  '#fff4e6',
  '#ffe8cc',
  '#ffd8a8',
  '#ffc078',
  '#ffa94d',
  '#ff922b',
  '#e8590c',
  '#9a3d07',
  '#833306',
  '#6b2a05',
];
const blue: MantineColorsTuple = [
  '#e7f5ff',
  '#d0ebff',
  '#a5d8ff',
  '#74c0fc',
  '#4dabf7',
  '#339af0',
  '#1c7ed6',
  '#1864ab',
  '#145591',
  '#0f4577',
];
const grape: MantineColorsTuple = [
  '#f8f0fc',
  '#f3d9fa',
  '#eebefa',
  '#e599f7',
  '#da77f2',
  '#cc5de8',
  '#be4bdb',
  '#862e9c',
  '#702682',
  '#5a1f69',
];

export const theme = createTheme({
  primaryColor: 'ocop',
  primaryShade: { light: 7, dark: 5 },
  colors: { ocop, red, orange, blue, grape },
  // System fonts only: nothing is fetched at runtime, and they all carry Vietnamese glyphs.
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  headings: { fontFamily: 'inherit' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  components: {
    // Mantine writes the required asterisk into the label text, so the label no longer reads
    // exactly "Mật khẩu"; styles.css draws it instead, and `required` still tells screen readers.
    InputWrapper: InputWrapper.extend({ defaultProps: { withAsterisk: false } }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-error': red[7],
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-placeholder': '#6b7280',
  },
  dark: {},
});
