import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Names the browser tab and history entry after the page, as screen readers announce it on navigation. */
export function usePageTitle(title: string | undefined) {
  const { t } = useTranslation();
  const app = t('app.title');
  useEffect(() => {
    document.title = title ? `${title} · ${app}` : app;
  }, [title, app]);
}
