import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data, idempotencyKey, type Schemas } from '../../api/client';
import { localised } from '../../i18n';
import { Alert, Button, Empty, ErrorState, Field, Heading, Loading, PageHeading } from '../../ui';

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
  const models = useQuery({ queryKey: ['model-versions'], queryFn: () => data(api.GET('/model-versions')) });
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
      return data(api.POST('/model-versions/{key}/{version}/publish', { ...path, headers: { 'Idempotency-Key': idempotencyKey() }, body: { legalBasis, effectiveFrom } }));
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
                  <td className="utrecht-table__cell">{m.status}</td>
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
            <Field key={which} label={which === 'from' ? 'A' : 'B'} htmlFor={`diff-${which}`}>
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
        {diff.error && <ErrorState error={diff.error} />}
        {diff.data && <DiffView diff={diff.data} />}
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

function DiffView({ diff }: { diff: unknown }) {
  // The semantic diff as the API gives it, one change a line.
  const changes = Array.isArray((diff as { changes?: unknown[] }).changes) ? ((diff as { changes: unknown[] }).changes as Record<string, unknown>[]) : [];
  return (
    <ul className="utrecht-unordered-list" data-diff>
      {changes.map((change, i) => (
        <li key={i}>{Object.values(change).filter((v) => typeof v === 'string' || typeof v === 'number').join(' · ')}</li>
      ))}
    </ul>
  );
}
