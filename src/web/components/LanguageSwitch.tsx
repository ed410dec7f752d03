import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Language, setLanguage } from '../i18n';

/** One button naming the other language in that language, the way bilingual sites usually do. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const target: Language = t('language.switchToLang') === 'en' ? 'en' : 'vi';
  return (
    <Button
      variant="subtle"
      size="compact-sm"
      lang={target}
      title={t('language.switchLabel')}
      onClick={() => void setLanguage(target)}
    >
      {t('language.switchTo')}
    </Button>
  );
}
