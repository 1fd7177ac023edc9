import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data, idempotencyKey } from '../../api/client';
import { hasRole, useSession } from '../../auth/session';
import { Link, navigate } from '../../router';
import { Button, Empty, ErrorState, Field, Heading, Loading, PageHeading } from '../../ui';

const LAYERS = ['strategic', 'tactical', 'operational'] as const;

export default function Organisation({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const organisation = useQuery({ queryKey: ['organisation', organisationId], queryFn: () => data(api.GET('/organisations/{organisationId}', { params: { path: { organisationId } } })) });
  const tree = useQuery({ queryKey: ['tree', organisationId], queryFn: () => data(api.GET('/organisations/{organisationId}/tree', { params: { path: { organisationId } } })) });
  const assessments = useQuery({
    queryKey: ['organisation-assessments', organisationId],
    queryFn: () => data(api.GET('/organisations/{organisationId}/assessments', { params: { path: { organisationId } } })),
  });
  const models = useQuery({ queryKey: ['model-versions'], queryFn: () => data(api.GET('/model-versions')) });
  // The chains the caller's organisations take part in: an assessment can be of one of them.
  const chains = useQuery({ queryKey: ['chains'], queryFn: () => data(api.GET('/chains')) });
  const published = models.data?.filter((m) => m.status === 'published') ?? [];
  const [scope, setScope] = useState('organisation');
  const [period, setPeriod] = useState(String(new Date().getFullYear()));
  const [model, setModel] = useState('');
  const [layers, setLayers] = useState<string[]>([...LAYERS]);
  const open = useMutation({
    mutationFn: () => {
      const [key, version] = (model || `${published[published.length - 1]?.key}@${published[published.length - 1]?.version}`).split('@');
      return data(
        api.POST('/assessments', {
          headers: { 'Idempotency-Key': idempotencyKey() },
          body: {
            organisationId,
            scope:
              scope === 'organisation'
                ? { kind: 'organisation' }
                : scope.startsWith('chain:')
                  ? { kind: 'chain', chainId: scope.slice('chain:'.length) }
                  : { kind: 'unit', unitId: scope },
            period,
            model: { key, version },
            layers: layers as (typeof LAYERS)[number][],
          },
        }),
      );
    },
    onSuccess: (assessment) => navigate(`/assessments/${assessment.assessmentId}`),
  });
  if (organisation.error) return <ErrorState error={organisation.error} onRetry={() => void organisation.refetch()} />;
  if (!organisation.data) return <Loading />;
  return (
    <>
      <PageHeading>{organisation.data.name}</PageHeading>
      <section aria-labelledby="units">
        <Heading level={2} id="units">
          {t('coordinator.units')}
        </Heading>
        {tree.isPending && <Loading />}
        {tree.error && <ErrorState error={tree.error} onRetry={() => void tree.refetch()} />}
        {tree.data?.length === 0 && <Empty>{t('coordinator.noUnits')}</Empty>}
        <ul className="maatlat-units">
          {tree.data?.map((unit) => (
            <li key={unit.unitId} style={{ marginInlineStart: `${unit.depth * 1.25}rem` }}>
              {unit.name}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="assessments">
        <Heading level={2} id="assessments">
          {t('coordinator.assessments')}
        </Heading>
        {assessments.isPending && <Loading />}
        {assessments.error && <ErrorState error={assessments.error} onRetry={() => void assessments.refetch()} />}
        {assessments.data?.length === 0 && <Empty>{t('coordinator.noAssessments')}</Empty>}
        <ul className="utrecht-link-list">
          {assessments.data?.map((a) => (
            <li className="utrecht-link-list__item" key={a.assessmentId}>
              <Link href={`/assessments/${a.assessmentId}`}>
                {a.period} · {a.model.key} {a.model.version} · {t(`coordinator.status.${a.status}` as 'coordinator.status.open')}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      {hasRole(session, 'coordinator', 'platform-admin') && (
        <section aria-labelledby="open">
          <Heading level={2} id="open">
            {t('coordinator.open')}
          </Heading>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              open.mutate();
            }}
          >
            <Field label={t('coordinator.scope')} htmlFor="scope">
              <select id="scope" className="utrecht-select" value={scope} onChange={(e) => setScope(e.target.value)}>
                <option value="organisation">{t('coordinator.scopeOrganisation')}</option>
                {tree.data?.map((unit) => (
                  <option key={unit.unitId} value={unit.unitId}>
                    {t('coordinator.scopeUnit', { name: unit.name })}
                  </option>
                ))}
                {chains.data?.map((chain) => (
                  <option key={chain.chainId} value={`chain:${chain.chainId}`}>
                    {t('coordinator.scopeChain', { name: chain.name })}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('coordinator.period')} htmlFor="period">
              <input id="period" className="utrecht-textbox" value={period} onChange={(e) => setPeriod(e.target.value)} />
            </Field>
            <Field label={t('coordinator.model')} htmlFor="model">
              <select id="model" className="utrecht-select" value={model} onChange={(e) => setModel(e.target.value)}>
                {[...published].reverse().map((m) => (
                  <option key={`${m.key}@${m.version}`} value={`${m.key}@${m.version}`}>
                    {m.key} {m.version}
                  </option>
                ))}
              </select>
            </Field>
            <fieldset className="utrecht-form-fieldset">
              <legend className="utrecht-form-fieldset__legend">{t('coordinator.layersLabel')}</legend>
              {LAYERS.map((layer) => (
                <label key={layer} className="maatlat-check">
                  <input
                    type="checkbox"
                    className="utrecht-checkbox"
                    checked={layers.includes(layer)}
                    onChange={(e) => setLayers((current) => (e.target.checked ? [...current, layer] : current.filter((l) => l !== layer)))}
                  />{' '}
                  {t(`layers.${layer}`)}
                </label>
              ))}
            </fieldset>
            {models.isPending && <Loading />}
            {models.error && <ErrorState error={models.error} onRetry={() => void models.refetch()} />}
            {models.data && published.length === 0 && <Empty>{t('coordinator.noPublished')}</Empty>}
            {open.error && <ErrorState error={open.error} />}
            <div className="maatlat-actions">
              <Button type="submit" disabled={open.isPending || published.length === 0}>
                {t('coordinator.open')}
              </Button>
            </div>
          </form>
        </section>
      )}
    </>
  );
}
