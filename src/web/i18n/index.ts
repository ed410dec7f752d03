import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { type Messages, vi } from './vi';

/** The UI speaks Vietnamese unless the user chose English; the choice survives reloads. */
export type Language = 'vi' | 'en';
export const LANGUAGE_STORAGE_KEY = 'ocop.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

export function storedLanguage(): Language {
  try {
    return globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    // Storage can be blocked (private mode, policies); Vietnamese is the default anyway.
    return 'vi';
  }
}

function applyDocumentLanguage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'vi';
}

/** The UI language, re-rendering the caller when it changes. */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'vi';
}

/** Picks the label in the UI language from the `{ vi, en }` pairs the API and shared modules carry. */
export function pickLabel(label: { vi: string; en: string } | null | undefined, language: Language): string {
  return label ? label[language] : '';
}

/**
 * Vietnamese ships with the app; English is fetched the first time it is needed, so the first screen of
 * most users does not download texts they never read.
 */
export async function loadLanguage(language: Language): Promise<void> {
  if (language === 'vi' || i18next.hasResourceBundle('en', 'translation')) return;
  const { en } = await import('./en');
  i18next.addResourceBundle('en', 'translation', en, true, true);
}

export async function setLanguage(language: Language): Promise<void> {
  await loadLanguage(language);
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not persisted, but still switched for this page.
  }
  await i18next.changeLanguage(language);
}

i18next.on('languageChanged', (language) => applyDocumentLanguage(language === 'en' ? 'en' : 'vi'));

/** Starts i18next in the given language; for English, `loadLanguage('en')` before rendering. */
export function initI18n(language: Language = storedLanguage()) {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources: { vi: { translation: vi } },
      lng: language,
      fallbackLng: 'vi',
      supportedLngs: ['vi', 'en'],
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  }
  applyDocumentLanguage(currentLanguage());
  return i18next;
}

export { i18next };
