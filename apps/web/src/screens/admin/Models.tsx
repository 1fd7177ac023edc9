import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data, idempotencyKey, type Schemas } from '../../api/client';
import { localised } from '../../i18n';
import { Alert, Button, Empty, ErrorState, Field, Heading, Loading, PageHeading, Paragraph } from '../../ui';

async function readJson(file: File | undefined): Promise<unknown> {
  if (!file) return undefined;
  return JSON.parse(await file.text()) as unknown;
}

/**
 * The platform administrator's model versions: the list (draft, published, retired), the
 * semantic diff between two versions, publishing a version from an uploaded JSON document with
 * its crosswalk, legal basis and effective date (the problems by JSON path when it is refused, and
 * then nothing is published), and the recalculations that follow, updating as they go.
 */
export default function Models() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  // The list is a read model: right after a publish it can still say "draft" for a moment, so
  // it is read again until the version just published shows as published.
  const [awaitingPublished, setAwaitingPublished] = useState<string>();
  const models = useQuery({
    queryKey: ['model-versions'],
    queryFn: () => data(api.GET('/model-versions')),
    refetchInterval: (query) =>
      awaitingPublished && !query.state.data?.some((m) => `${m.key}@${m.version}` === awaitingPublished && m.status === 'published') ? 500 : false,
  });
  const recalculations = useQuery({ queryKey: ['recalculations'], queryFn: () => data(api.GET('/recalculations')), refetchInterval: 1000 });
  const [documentFile, setDocumentFile] = useState<File>();
  const [crosswalkFile, setCrosswalkFile] = useState<File>();
  const [legalBasis, setLegalBasis] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [badJson, setBadJson] = useState(false);
  const publish = useMutation({
    mutationFn: async () => {
      setBadJson(false);
      let document: Schemas['ModelDocument'];
      let crosswalk: unknown;
      try {
        document = (await readJson(documentFile)) as Schemas['ModelDocument'];
        crosswalk = await readJson(crosswalkFile);
      } catch {
        setBadJson(true);
        throw new ApiError(400, null);
      }
      const draft = await data(api.POST('/model-versions', { headers: { 'Idempotency-Key': idempotencyKey() }, body: { document } }));
      const path = { params: { path: { key: draft.key, version: draft.version } } };
      if (crosswalk !== undefined) await data(api.PUT('/model-versions/{key}/{version}/crosswalk', { ...path, body: { crosswalk: crosswalk as Schemas['Crosswalk'] } }));
      const published = await data(api.POST('/model-versions/{key}/{version}/publish', { ...path, headers: { 'Idempotency-Key': idempotencyKey() }, body: { legalBasis, effectiveFrom } }));
      setAwaitingPublished(`${draft.key}@${draft.version}`);
      return published;
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['model-versions'] });
      void queryClient.invalidateQueries({ queryKey: ['recalculations'] });
    },
  });
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const diff = useQuery({
    queryKey: ['diff', from, to],
    enabled: Boolean(from && to && from !== to),
    queryFn: () => data(api.GET('/model-versions/{key}/diff', { params: { path: { key: from.split('@')[0] }, query: { from: from.split('@')[1], to: to.split('@')[1] } } })),
  });
  // The crosswalk into the later version, shown when it is from the earlier one.
  const crosswalk = useQuery({
    queryKey: ['crosswalk', to],
    enabled: Boolean(from && to && from !== to),
    queryFn: () => data(api.GET('/model-versions/{key}/{version}/crosswalk', { params: { path: { key: to.split('@')[0], version: to.split('@')[1] } } })),
  });
  const versions = models.data ?? [];
  return (
    <>
      <PageHeading>{t('admin.models')}</PageHeading>
      {models.isPending && <Loading />}
      {models.error && <ErrorState error={models.error} onRetry={() => void models.refetch()} />}
      {models.data?.length === 0 && <Empty>{t('admin.noModels')}</Empty>}
      {versions.length > 0 && (
        <div className="maatlat-table-wrap">
          <table className="utrecht-table" data-models>
            <tbody className="utrecht-table__body">
              {versions.map((m) => (
                <tr className="utrecht-table__row" key={`${m.key}@${m.version}`}>
                  <th className="utrecht-table__header-cell" scope="row">
                    {m.key} {m.version}
                  </th>
                  <td className="utrecht-table__cell">{localised(m.title, i18n.language)}</td>
                  <td className="utrecht-table__cell" data-status={m.status}>
                    {t(`admin.status.${m.status}` as 'admin.status.draft')}
                  </td>
                  <td className="utrecht-table__cell">{m.effectiveFrom ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="diff">
        <Heading level={2} id="diff">
          {t('admin.diff')}
        </Heading>
        <div className="maatlat-actions">
          {(['from', 'to'] as const).map((which) => (
            <Field key={which} label={t(which === 'from' ? 'admin.diffFrom' : 'admin.diffTo')} htmlFor={`diff-${which}`}>
              <select id={`diff-${which}`} className="utrecht-select" value={which === 'from' ? from : to} onChange={(e) => (which === 'from' ? setFrom : setTo)(e.target.value)}>
                <option value="">—</option>
                {versions.map((m) => (
                  <option key={`${m.key}@${m.version}`} value={`${m.key}@${m.version}`}>
                    {m.key} {m.version}
                  </option>
                ))}
              </select>
            </Field>
          ))}
        </div>
        {diff.isFetching && <Loading />}
        {diff.error && <ErrorState error={diff.error} onRetry={() => void diff.refetch()} />}
        {!(from && to && from !== to) && <Paragraph>{t('admin.diffChoose')}</Paragraph>}
        {diff.data && <DiffView diff={diff.data} />}
        {crosswalk.error && <ErrorState error={crosswalk.error} onRetry={() => void crosswalk.refetch()} />}
        {diff.data && crosswalk.data && (crosswalk.data.crosswalk && crosswalk.data.from === from ? <CrosswalkView crosswalk={crosswalk.data.crosswalk} /> : <Paragraph>{t('admin.noCrosswalk', { from, to })}</Paragraph>)}
      </section>
      <section aria-labelledby="publish">
        <Heading level={2} id="publish">
          {t('admin.upload')}
        </Heading>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            publish.mutate();
          }}
        >
          <Field label={t('admin.file')} htmlFor="model-file">
            <input id="model-file" type="file" accept="application/json,.json" required onChange={(e) => setDocumentFile(e.target.files?.[0])} />
          </Field>
          <Field label={t('admin.crosswalk')} htmlFor="crosswalk-file">
            <input id="crosswalk-file" type="file" accept="application/json,.json" onChange={(e) => setCrosswalkFile(e.target.files?.[0])} />
          </Field>
          <Field label={t('admin.legalBasis')} htmlFor="legal-basis">
            <input id="legal-basis" className="utrecht-textbox" required value={legalBasis} onChange={(e) => setLegalBasis(e.target.value)} />
          </Field>
          <Field label={t('admin.effectiveFrom')} htmlFor="effective-from">
            <input id="effective-from" type="date" className="utrecht-textbox" required value={effectiveFrom} onChange={(e) => setEffectiveFrom(e.target.value)} />
          </Field>
          {badJson && <Alert type="error">{t('admin.invalidJson')}</Alert>}
          {publish.error && !badJson && (
            <Alert type="error" title={t('admin.problems')}>
              <ul className="utrecht-unordered-list" data-problems>
                {(publish.error instanceof ApiError && publish.error.problem?.errors?.length ? publish.error.problem.errors : [{ field: '', problem: publish.error.message }]).map((p) => (
                  <li key={`${p.field}-${p.problem}`}>
                    <code className="utrecht-code">{p.field}</code> {p.problem}
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          {publish.isSuccess && <Alert type="ok">{t('admin.published')}</Alert>}
          <div className="maatlat-actions">
            <Button type="submit" disabled={publish.isPending}>
              {t('admin.publish')}
            </Button>
          </div>
        </form>
      </section>
      <section aria-labelledby="recalculations">
        <Heading level={2} id="recalculations">
          {t('admin.recalculations')}
        </Heading>
        {recalculations.error && <ErrorState error={recalculations.error} />}
        <ul className="utrecht-unordered-list" data-recalculations>
          {recalculations.data?.map((r) => {
            const percent = r.total === 0 ? 100 : Math.floor(((r.done + r.failed) / r.total) * 100);
            return (
              <li key={r.recalculationId}>
                {r.target.key} {r.target.version}: <span data-percent={percent}>{t('admin.progress', { done: r.done, total: r.total, percent })}</span>
                <progress max={100} value={percent} aria-label={`${r.target.key} ${r.target.version}`} />
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}

/** A value of a changed field, short enough for a table cell: text in the chosen language, or compact JSON. */
function fieldValue(value: unknown, language: string): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && 'nl' in value && 'en' in value) return String((value as Record<string, unknown>)[language === 'en' ? 'en' : 'nl']);
  return JSON.stringify(value);
}

/** The semantic diff as a structure: per kind (factors, questions, risk rules) what was added, removed and changed, field by field. */
function DiffView({ diff }: { diff: Schemas['ModelDiff'] }) {
  const { t, i18n } = useTranslation();
  const kinds = [
    ['factors', diff.factors],
    ['questions', diff.questions],
    ['riskRules', diff.riskRules],
  ] as const;
  return (
    <div data-diff>
      <Paragraph>{t('admin.diffOf', { from: diff.from, to: diff.to })}</Paragraph>
      {kinds.map(([kind, items]) => (
        <section key={kind} aria-labelledby={`diff-${kind}`} data-diff-kind={kind}>
          <Heading level={3} id={`diff-${kind}`}>
            {t(`admin.kinds.${kind}`)}
          </Heading>
          {items.added.length + items.removed.length + items.changed.length === 0 && <Paragraph>{t('admin.noChanges')}</Paragraph>}
          {items.added.length > 0 && (
            <p className="utrecht-paragraph" data-added>
              <strong>{t('admin.added')}:</strong> {items.added.join(', ')}
            </p>
          )}
          {items.removed.length > 0 && (
            <p className="utrecht-paragraph" data-removed>
              <strong>{t('admin.removed')}:</strong> {items.removed.join(', ')}
            </p>
          )}
          {items.changed.length > 0 && (
            <div className="maatlat-table-wrap">
              <table className="utrecht-table" data-changed>
                <caption className="utrecht-table__caption">{t('admin.changed')}</caption>
                <thead className="utrecht-table__header">
                  <tr className="utrecht-table__row">
                    <th className="utrecht-table__header-cell" scope="col">{t('admin.item')}</th>
                    <th className="utrecht-table__header-cell" scope="col">{t('admin.field')}</th>
                    <th className="utrecht-table__header-cell" scope="col">{t('admin.before')}</th>
                    <th className="utrecht-table__header-cell" scope="col">{t('admin.after')}</th>
                  </tr>
                </thead>
                <tbody className="utrecht-table__body">
                  {items.changed.flatMap((item) =>
                    item.changes.map((change) => (
                      <tr className="utrecht-table__row" key={`${item.id}-${change.field}`} data-changed-item={item.id}>
                        <th className="utrecht-table__header-cell" scope="row">{item.id}</th>
                        <td className="utrecht-table__cell">{change.field}</td>
                        <td className="utrecht-table__cell maatlat-diff-value">{fieldValue(change.from, i18n.language)}</td>
                        <td className="utrecht-table__cell maatlat-diff-value">{fieldValue(change.to, i18n.language)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </div>
  );
}

/** The crosswalk that carries scores from one version to the next: each old factor and question, what it became (with weights) or why it was retired. */
function CrosswalkView({ crosswalk }: { crosswalk: Schemas['Crosswalk'] }) {
  const { t, i18n } = useTranslation();
  const rows = [...crosswalk.factors.map((entry) => ['factors', entry] as const), ...crosswalk.questions.map((entry) => ['questions', entry] as const)];
  return (
    <section aria-labelledby="crosswalk" data-crosswalk>
      <Heading level={3} id="crosswalk">
        {t('admin.crosswalkTitle', { from: crosswalk.from, to: crosswalk.to })}
      </Heading>
      <div className="maatlat-table-wrap">
        <table className="utrecht-table">
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th className="utrecht-table__header-cell" scope="col">{t('admin.was')}</th>
              <th className="utrecht-table__header-cell" scope="col">{t('admin.became')}</th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {rows.map(([kind, entry]) => (
              <tr className="utrecht-table__row" key={`${kind}-${entry.from}`} data-crosswalk-from={entry.from}>
                <th className="utrecht-table__header-cell" scope="row">{entry.from}</th>
                <td className="utrecht-table__cell">
                  {'retired' in entry
                    ? t('admin.retired', { reason: i18n.language === 'en' ? entry.reason.en : entry.reason.nl })
                    : entry.to.map((target) => (entry.to.length === 1 && target.weight === 1 ? target.id : `${target.id} (${t('admin.weight')} ${target.weight})`)).join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
