import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { heatmapOption, radarOption } from '@maatlat/shared/charts';
import { api, data, idempotencyKey, type Schemas } from '../../api/client';
import { hasRole, useSession } from '../../auth/session';
import { Link } from '../../router';
import { Alert, Button, ErrorState, Field, Heading, Loading, PageHeading, Paragraph } from '../../ui';
import { Chart } from '../../ui/Chart';
import { BenchmarkPosition, ReportDownloads, Trend } from './Insights';

type Layer = 'strategic' | 'tactical' | 'operational';
const round = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toFixed(2));

export default function Assessment({ assessmentId }: { assessmentId: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const assessment = useQuery({ queryKey: ['assessment', assessmentId], queryFn: () => data(api.GET('/assessments/{assessmentId}', { params: { path: { assessmentId } } })) });
  // The period and scope are in the organisation's list of assessments.
  const organisationId = assessment.data?.organisationId;
  const listed = useQuery({
    queryKey: ['organisation-assessments', organisationId],
    enabled: Boolean(organisationId && assessment.data?.score),
    queryFn: () => data(api.GET('/organisations/{organisationId}/assessments', { params: { path: { organisationId: organisationId ?? '' } } })),
  });
  const summary = listed.data?.find((s) => s.assessmentId === assessmentId);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['assessment', assessmentId] });
  const close = useMutation({
    mutationFn: () =>
      data(api.POST('/assessments/{assessmentId}/close', { params: { path: { assessmentId } }, headers: { 'If-Match': `"${assessment.data?.version}"`, 'Idempotency-Key': idempotencyKey() } })),
    onSuccess: refresh,
  });
  if (assessment.error) return <ErrorState error={assessment.error} onRetry={() => void assessment.refetch()} />;
  if (!assessment.data) return <Loading />;
  const a = assessment.data;
  const coordinating = hasRole(session, 'coordinator', 'platform-admin');
  return (
    <>
      <PageHeading>
        {t('coordinator.assessments')}: {a.model.key} {a.model.version}
      </PageHeading>
      <Paragraph>
        {t(`coordinator.status.${a.status}` as 'coordinator.status.open')} · <Link href={`/assessments/${assessmentId}/audit`}>{t('coordinator.audit')}</Link>
      </Paragraph>
      <section aria-labelledby="progress">
        <Heading level={2} id="progress">
          {t('coordinator.progress')}
        </Heading>
        <table className="utrecht-table">
          <tbody className="utrecht-table__body">
            {a.layers.map((layer) => {
              const invited = a.invitees.filter((i) => i.layer === layer);
              return (
                <tr className="utrecht-table__row" key={layer}>
                  <th className="utrecht-table__header-cell" scope="row">
                    {t(`layers.${layer}`)}
                  </th>
                  <td className="utrecht-table__cell" data-layer={layer}>
                    {t('coordinator.progressLine', { submitted: invited.filter((i) => i.submitted).length, invited: invited.length })}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {a.status === 'open' && coordinating && <Invite assessmentId={assessmentId} organisationId={a.organisationId} layers={a.layers as Layer[]} version={a.version} onInvited={refresh} />}
      {a.status === 'open' && coordinating && (
        <section aria-labelledby="close">
          <Heading level={2} id="close">
            {t('coordinator.close')}
          </Heading>
          <Paragraph>{t('coordinator.closeConfirm')}</Paragraph>
          {close.error && <ErrorState error={close.error} />}
          <Button onClick={() => close.mutate()} disabled={close.isPending}>
            {t('coordinator.close')}
          </Button>
        </section>
      )}
      {a.score && <Result score={a.score} layers={a.layers as Layer[]} />}
      {a.score && <ReportDownloads assessmentId={assessmentId} />}
      {a.score && listed.error && <ErrorState error={listed.error} onRetry={() => void listed.refetch()} />}
      {a.score && listed.isPending && <Loading />}
      {a.score && summary && <BenchmarkPosition organisationId={a.organisationId} modelKey={a.model.key} period={summary.period} />}
      {a.score && <Trend organisationId={a.organisationId} modelKey={a.model.key} />}
    </>
  );
}

function Invite({ assessmentId, organisationId, layers, version, onInvited }: { assessmentId: string; organisationId: string; layers: Layer[]; version: number; onInvited: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [layer, setLayer] = useState<Layer>(layers[0]);
  const invite = useMutation({
    mutationFn: async () => {
      const { respondentId } = await data(
        api.POST('/organisations/{organisationId}/respondents', { params: { path: { organisationId } }, headers: { 'Idempotency-Key': idempotencyKey() }, body: { name, email } }),
      );
      await data(api.POST('/assessments/{assessmentId}/invitations', { params: { path: { assessmentId } }, headers: { 'Idempotency-Key': idempotencyKey() }, body: { respondentId, layer } }));
      const invitation = await data(
        api.POST('/organisations/{organisationId}/respondents/{respondentId}/invitations', {
          params: { path: { organisationId, respondentId } },
          headers: { 'Idempotency-Key': idempotencyKey() },
          body: { assessmentId, layer },
        }),
      );
      return `${location.origin}/respond/${assessmentId}#token=${invitation.token}`;
    },
    onSuccess: onInvited,
  });
  return (
    <section aria-labelledby="invite" data-version={version}>
      <Heading level={2} id="invite">
        {t('coordinator.invite')}
      </Heading>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate();
        }}
      >
        <Field label={t('coordinator.respondentName')} htmlFor="respondent-name">
          <input id="respondent-name" className="utrecht-textbox" value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <Field label={t('coordinator.respondentEmail')} htmlFor="respondent-email">
          <input id="respondent-email" type="email" className="utrecht-textbox" value={email} required onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
        </Field>
        <Field label={t('coordinator.inviteLayer')} htmlFor="invite-layer">
          <select id="invite-layer" className="utrecht-select" value={layer} onChange={(e) => setLayer(e.target.value as Layer)}>
            {layers.map((l) => (
              <option key={l} value={l}>
                {t(`layers.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        {invite.error && <ErrorState error={invite.error} />}
        <div className="maatlat-actions">
          <Button type="submit" disabled={invite.isPending}>
            {t('coordinator.invite')}
          </Button>
        </div>
        {invite.data && (
          <Alert type="ok">
            <p className="utrecht-paragraph">{t('coordinator.inviteDone')}</p>
            <input className="utrecht-textbox maatlat-link-box" readOnly value={invite.data} aria-label={t('coordinator.inviteDone')} data-invitation-link />
          </Alert>
        )}
      </form>
    </section>
  );
}

function Result({ score, layers }: { score: Schemas['Score']; layers: Layer[] }) {
  const { t } = useTranslation();
  const radar = useMemo(
    () => radarOption({ maxStage: 5, factors: score.factors.map((f) => ({ id: f.factorId, name: f.factorId, score: f.score })), labels: { organisation: t('coordinator.score'), peerMedian: t('coordinator.benchmark') } }),
    [score, t],
  );
  const heatmap = useMemo(
    () =>
      heatmapOption({
        maxStage: 5,
        factors: score.factors.map((f) => ({ id: f.factorId, name: f.factorId })),
        layers: layers.map((l) => ({ id: l, name: t(`layers.${l}`) })),
        cells: score.factors.flatMap((f) => layers.map((l) => ({ factorId: f.factorId, layerId: l, score: f.byLayer[l]?.value ?? null }))),
      }),
    [score, layers, t],
  );
  return (
    <section aria-labelledby="result">
      <Heading level={2} id="result">
        {t('coordinator.result')}
      </Heading>
      <Paragraph lead>
        <span data-overall>{t('coordinator.overall', { score: round(score.overall.score), stage: score.overall.stage ?? '—' })}</span>
      </Paragraph>
      <Heading level={3}>{t('coordinator.radar')}</Heading>
      <Chart option={radar} label={t('coordinator.radar')} />
      <div className="maatlat-table-wrap">
        <table className="utrecht-table" data-factor-scores>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th className="utrecht-table__header-cell" scope="col">
                {t('coordinator.factor')}
              </th>
              <th className="utrecht-table__header-cell" scope="col">
                {t('coordinator.score')}
              </th>
              {layers.map((l) => (
                <th className="utrecht-table__header-cell" scope="col" key={l}>
                  {t(`layers.${l}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {score.factors.map((f) => (
              <tr className="utrecht-table__row" key={f.factorId} data-factor={f.factorId}>
                <th className="utrecht-table__header-cell" scope="row">
                  {f.factorId}
                </th>
                <td className="utrecht-table__cell" data-score>
                  {round(f.score)}
                </td>
                {layers.map((l) => (
                  <td className="utrecht-table__cell" key={l}>
                    {round(f.byLayer[l]?.value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Heading level={3}>{t('coordinator.heatmap')}</Heading>
      <Chart option={heatmap} label={t('coordinator.heatmap')} />
      <Heading level={3}>{t('coordinator.strengths')}</Heading>
      <Paragraph>{score.strengths.join(', ') || '—'}</Paragraph>
      <Heading level={3}>{t('coordinator.attention')}</Heading>
      <Paragraph>{score.attentionPoints.join(', ') || '—'}</Paragraph>
      <Heading level={3}>{t('coordinator.risks')}</Heading>
      {score.risks.length === 0 ? (
        <Paragraph>{t('coordinator.noRisks')}</Paragraph>
      ) : (
        <ul className="utrecht-unordered-list">
          {score.risks.map((r) => (
            <li key={r.ruleId}>
              <RiskText risk={r} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RiskText({ risk }: { risk: Schemas['RaisedRisk'] }) {
  const { i18n } = useTranslation();
  return (
    <>
      {risk.severity}: {i18n.language === 'en' ? risk.message.en : risk.message.nl}
    </>
  );
}
