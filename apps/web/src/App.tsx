import { lazy, Suspense, useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { finishSignIn, isCallback } from './auth/oidc';
import { hasRole, signIn, signOut, useSession } from './auth/session';
import { chooseLanguage, LANGUAGES, type Language } from './i18n';
import { Link, match, navigate, useLocation } from './router';
import Questionnaire from './screens/Questionnaire';
import SignIn, { type WebConfiguration } from './screens/SignIn';
import { Alert, ErrorState, Loading, PageHeading, Paragraph } from './ui';

// The respondent's questionnaire is in the first bundle; everything else loads when opened.
const Organisations = lazy(() => import('./screens/coordinator/Organisations'));
const Organisation = lazy(() => import('./screens/coordinator/Organisation'));
const Assessment = lazy(() => import('./screens/coordinator/Assessment'));
const Audit = lazy(() => import('./screens/auditor/Audit'));
const Models = lazy(() => import('./screens/admin/Models'));

async function loadConfiguration(): Promise<WebConfiguration> {
  const response = await fetch('/app-config.json');
  if (!response.ok) throw new Error(`configuration answered ${response.status}`);
  return (await response.json()) as WebConfiguration;
}

/** An invitation link carries its token in the fragment (never sent to a server): take it in. */
function takeInvitationFromLink(): void {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token && location.pathname.startsWith('/respond/')) {
    signIn(token);
    history.replaceState(null, '', location.pathname);
  }
}
takeInvitationFromLink();

export function App() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const { pathname } = useLocation();
  const configuration = useQuery({ queryKey: ['app-config'], queryFn: loadConfiguration, staleTime: Infinity });
  const [callbackError, setCallbackError] = useState(false);

  useEffect(() => {
    if (!isCallback() || !configuration.data?.oidc) return;
    finishSignIn(configuration.data.oidc)
      .then(({ token, returnTo }) => {
        signIn(token);
        navigate(returnTo, { replace: true });
      })
      .catch(() => setCallbackError(true));
  }, [configuration.data]);

  // The language is the user's own: theirs comes back when they sign in.
  useEffect(() => {
    const stored = localStorage.getItem(`maatlat.language.${session?.subject ?? 'anonymous'}`);
    if ((stored === 'nl' || stored === 'en') && stored !== i18n.language) chooseLanguage(stored, session?.subject ?? null);
  }, [session?.subject, i18n]);

  let page;
  const respond = match('/respond/:assessmentId', pathname);
  if (configuration.error) page = <ErrorState error={configuration.error} onRetry={() => void configuration.refetch()} />;
  else if (!configuration.data) page = <Loading />;
  else if (callbackError) page = <Alert type="error">{t('signIn.callbackFailed')}</Alert>;
  else if (respond && session) page = <Questionnaire assessmentId={respond.assessmentId} />;
  else if (respond) page = <Alert type="error">{t('questionnaire.noToken')}</Alert>;
  else if (!session || pathname === '/sign-in') page = <SignIn configuration={configuration.data} />;
  else page = <Routed pathname={pathname} />;

  return (
    <div className="utrecht-page maatlat-page">
      <a className="utrecht-skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="utrecht-page-header maatlat-header">
        <Link href="/" className="maatlat-brand">
          {t('app.name')}
        </Link>
        <span className="maatlat-tagline">{t('app.tagline')}</span>
        <div className="maatlat-header-tools">
          <label className="utrecht-form-label" htmlFor="language">
            {t('app.language')}
          </label>
          <select
            id="language"
            className="utrecht-select"
            value={i18n.language}
            onChange={(event) => chooseLanguage(event.target.value as Language, session?.subject ?? null)}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {language === 'nl' ? 'Nederlands' : 'English'}
              </option>
            ))}
          </select>
          {session && (
            <>
              <span className="maatlat-who">{t('app.signedInAs', { who: session.roles.map((r) => t(`roles.${r}` as 'roles.coordinator')).join(', ') })}</span>
              <button
                type="button"
                className="utrecht-button utrecht-button--subtle-action"
                onClick={() => {
                  signOut();
                  navigate('/');
                }}
              >
                {t('app.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" className="utrecht-page-content maatlat-main">
        <Suspense fallback={<Loading />}>{page}</Suspense>
      </main>
    </div>
  );
}

function Routed({ pathname }: { pathname: string }) {
  const { t } = useTranslation();
  const session = useSession();
  let params;
  if (pathname === '/') return <Home />;
  if (pathname === '/organisations') return <Organisations />;
  if ((params = match('/organisations/:organisationId', pathname))) return <Organisation organisationId={params.organisationId} />;
  if ((params = match('/assessments/:assessmentId', pathname))) return <Assessment assessmentId={params.assessmentId} />;
  if ((params = match('/assessments/:assessmentId/audit', pathname))) return <Audit assessmentId={params.assessmentId} />;
  if (pathname === '/models' && hasRole(session, 'platform-admin')) return <Models />;
  return <Alert type="warning">{t('state.pageNotFound')}</Alert>;
}

function Home() {
  const { t } = useTranslation();
  const session = useSession();
  if (session?.assessmentId) {
    navigate(`/respond/${session.assessmentId}`, { replace: true });
    return <Loading />;
  }
  return (
    <>
      <PageHeading>{t('home.title')}</PageHeading>
      <Paragraph lead>{t('home.intro')}</Paragraph>
      <ul className="utrecht-link-list maatlat-home-links">
        {hasRole(session, 'platform-admin', 'coordinator', 'auditor') && (
          <li className="utrecht-link-list__item">
            <Link href="/organisations">{t('home.organisations')}</Link>
          </li>
        )}
        {hasRole(session, 'platform-admin') && (
          <li className="utrecht-link-list__item">
            <Link href="/models">{t('home.models')}</Link>
          </li>
        )}
      </ul>
      {hasRole(session, 'respondent') && <Paragraph>{t('home.respondentHint')}</Paragraph>}
    </>
  );
}
