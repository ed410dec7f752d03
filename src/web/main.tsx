import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { currentLanguage, i18next, initI18n, loadLanguage } from './i18n';
import { AppProviders, connectApi, createQueryClient } from './providers';

initI18n();
const queryClient = createQueryClient();
connectApi(queryClient);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// English texts are fetched before the first render when English is the chosen language; Vietnamese if that fails.
void loadLanguage(currentLanguage())
  .catch(() => i18next.changeLanguage('vi'))
  .then(() =>
    createRoot(root).render(
      <StrictMode>
        <AppProviders queryClient={queryClient}>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </AppProviders>
      </StrictMode>,
    ),
  );
