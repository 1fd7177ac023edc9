import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '@utrecht/component-library-css/dist/index.css';
import '@utrecht/design-tokens/dist/theme.css';
import './theme.css';
import { ApiError } from './api/client';
import { currentSession } from './auth/session';
import { startI18n } from './i18n';
import { App } from './App';

startI18n(currentSession()?.subject ?? null);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal or a missing thing stays so on a retry; an outage or a lost connection may not.
      retry: (failures, error) => failures < 3 && (!(error instanceof ApiError) || error.status === 0 || error.status === 503 || error.status === 429),
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
