import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { ApiError, configureApi } from './api';
import { SESSION_KEY } from './auth';
import { currentLanguage, i18next, initI18n } from './i18n';
import { cssVariablesResolver, theme } from './theme';

/** Client errors (4xx) will not improve by retrying; network and 5xx errors get two more tries. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}

/** Wires the API client to the UI language and to the session cache. */
export function connectApi(queryClient: QueryClient): void {
  configureApi({
    language: currentLanguage,
    networkMessage: () => i18next.t('errors.network'),
    badResponseMessage: () => i18next.t('errors.badResponse'),
    onUnauthenticated: () => queryClient.setQueryData(SESSION_KEY, null),
  });
}

/** Everything the app needs around it except the router (tests bring a MemoryRouter). */
export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  const i18n = initI18n();
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}
