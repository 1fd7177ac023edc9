import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data, type Schemas } from '../api/client';
import { startSignIn, type OidcSettings } from '../auth/oidc';
import { signIn } from '../auth/session';
import { navigate } from '../router';
import { Alert, Button, ErrorState, Field, Heading, Loading, PageHeading, Paragraph } from '../ui';

export interface WebConfiguration {
  oidc: OidcSettings | null;
  demoSignIn: boolean;
}

/** An invitation link: `/respond/<assessment>#token=<invitation token>`. */
export function invitationFromLink(link: string): { assessmentId: string; token: string } | null {
  try {
    const url = new URL(link.trim(), location.origin);
    const assessment = /^\/respond\/([^/]+)\/?$/.exec(url.pathname);
    const token = new URLSearchParams(url.hash.slice(1)).get('token');
    return assessment && token ? { assessmentId: assessment[1], token } : null;
  } catch {
    return null;
  }
}

export default function SignIn({ configuration }: { configuration: WebConfiguration }) {
  const { t } = useTranslation();
  const personas = useQuery({ queryKey: ['demo-personas'], enabled: configuration.demoSignIn, queryFn: () => data(api.GET('/demo/personas')) });
  const session = useMutation({
    mutationFn: async (persona: Schemas['DemoPersona']): Promise<{ token: string; assessmentId?: string }> => {
      // A respondent is invited to their organisation's open assessment and opens it, as an invitation link does.
      if (persona.role === 'respondent') return data(api.POST('/demo/respondent-sessions', { body: { organisationId: persona.organisationId ?? '' } }));
      return data(api.POST('/demo/sessions', { body: { role: persona.role, ...(persona.organisationId ? { organisationId: persona.organisationId } : {}) } }));
    },
    onSuccess: ({ token, assessmentId }) => {
      signIn(token);
      navigate(assessmentId ? `/respond/${assessmentId}` : '/');
    },
  });
  const [link, setLink] = useState('');
  const [badLink, setBadLink] = useState(false);
  const openLink = () => {
    const invitation = invitationFromLink(link);
    setBadLink(!invitation);
    if (invitation) {
      signIn(invitation.token);
      navigate(`/respond/${invitation.assessmentId}`);
    }
  };
  const oidc = configuration.oidc;
  const roleName = (role: string) => t(`roles.${role}` as 'roles.coordinator');
  return (
    <>
      <PageHeading>{t('signIn.title')}</PageHeading>
      {!configuration.oidc && !configuration.demoSignIn && <Alert type="warning">{t('signIn.none')}</Alert>}
      {oidc && (
        <p>
          <Button onClick={() => void startSignIn(oidc, '/')}>{t('signIn.oidc')}</Button>
        </p>
      )}
      {configuration.demoSignIn && (
        <section aria-labelledby="personas">
          <Heading level={2} id="personas">
            {t('signIn.demoIntro')}
          </Heading>
          {personas.isPending && <Loading />}
          {personas.error && <ErrorState error={personas.error} onRetry={() => void personas.refetch()} />}
          {session.error && <ErrorState error={session.error} />}
          <ul className="maatlat-personas">
            {personas.data?.map((persona) => {
              const label = persona.organisationName ? t('signIn.ofOrganisation', { role: roleName(persona.role), organisation: persona.organisationName }) : roleName(persona.role);
              return (
                <li key={`${persona.role}-${persona.organisationId ?? ''}`}>
                  <Button appearance="secondary" disabled={session.isPending} onClick={() => session.mutate(persona)} data-persona={persona.role}>
                    {t('signIn.asPersona', { role: label })}
                  </Button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <section aria-labelledby="respondent">
        <Heading level={2} id="respondent">
          {t('signIn.respondentTitle')}
        </Heading>
        <Paragraph>{t('signIn.respondentIntro')}</Paragraph>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            openLink();
          }}
        >
          <Field label={t('signIn.invitationLink')} htmlFor="invitation-link">
            <input className="utrecht-textbox" id="invitation-link" type="url" value={link} onChange={(event) => setLink(event.target.value)} autoComplete="off" />
          </Field>
          {badLink && <Alert type="error">{t('signIn.invalidLink')}</Alert>}
          <Button type="submit">{t('signIn.openInvitation')}</Button>
        </form>
      </section>
    </>
  );
}
