import { useMemo, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { trendOption } from '@maatlat/shared/charts';
import { api, ApiError, data, idempotencyKey, type Schemas } from '../../api/client';
import { currentSession } from '../../auth/session';
import { Alert, Button, Empty, ErrorState, Heading, Loading, Paragraph } from '../../ui';
import { Chart } from '../../ui/Chart';

const round = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toFixed(2));
const PERCENTILES = ['p10', 'p25', 'p50', 'p75', 'p90'] as const;

/** Saves a file the browser has in memory under a name (the API's files need the bearer token, so no plain link). */
function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The organisation's own overall score beside its peer groups' bands (p10..p90), or why a group is not shown. */
export function BenchmarkPosition({ organisationId, modelKey, period }: { organisationId: string; modelKey: string; period: string }) {
  const { t } = useTranslation();
  const position = useQuery({
    queryKey: ['benchmark-position', organisationId, modelKey, period],
    queryFn: () => data(api.GET('/organisations/{organisationId}/benchmark-position', { params: { path: { organisationId }, query: { modelKey, period } } })),
  });
  return (
    <section aria-labelledby="benchmark">
      <Heading level={3} id="benchmark">
        {t('coordinator.benchmark')}
      </Heading>
      {position.isPending && <Loading />}
      {position.error && <ErrorState error={position.error} onRetry={() => void position.refetch()} />}
      {position.data && (
        <>
          <Paragraph>
            <span data-own-overall>{t('insights.own', { score: round(position.data.own.overall), period, version: position.data.modelVersion })}</span>
          </Paragraph>
          <div className="maatlat-table-wrap">
            <table className="utrecht-table" data-benchmark>
              <caption className="utrecht-table__caption">{t('insights.bandsCaption', { k: position.data.minGroup })}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('insights.group')}
                  </th>
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('insights.organisations')}
                  </th>
                  {PERCENTILES.map((p) => (
                    <th className="utrecht-table__header-cell" scope="col" key={p}>
                      {p.toUpperCase()}
                    </th>
                  ))}
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('insights.percentileRank')}
                  </th>
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {position.data.groups.map((g) => (
                  <GroupRow key={g.groupBy} group={g} k={position.data.minGroup} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function GroupRow({ group, k }: { group: Schemas['PositionGroupView']; k: number }) {
  const { t } = useTranslation();
  const figure = group.cell.overall;
  const name = [group.cell.group.organisationType, group.cell.group.sizeBand].filter(Boolean).join(', ');
  const label = `${t(`insights.groupBy.${group.groupBy}` as 'insights.groupBy.all')}${name ? ` (${name})` : ''}`;
  return (
    <tr className="utrecht-table__row" data-group={group.groupBy} data-status={figure.status}>
      <th className="utrecht-table__header-cell" scope="row">
        {label}
      </th>
      {figure.status === 'suppressed' ? (
        <td className="utrecht-table__cell" colSpan={PERCENTILES.length + 2} data-suppressed>
          {figure.reason === 'differencing' ? t('insights.suppressedDifferencing') : t('insights.suppressedFew', { k })}
        </td>
      ) : (
        <>
          <td className="utrecht-table__cell" data-figure="organisations">
            {figure.organisations ?? '—'}
          </td>
          {PERCENTILES.map((p) => (
            <td className="utrecht-table__cell" key={p} data-figure={p}>
              {round(figure[p])}
            </td>
          ))}
          <td className="utrecht-table__cell" data-figure="rank">
            {group.overallPercentileRank === null ? '—' : t('insights.rank', { rank: round(group.overallPercentileRank) })}
          </td>
        </>
      )}
    </tr>
  );
}

/** The organisation's overall score over the years, each point marked by where it comes from and the change labelled. */
export function Trend({ organisationId, modelKey }: { organisationId: string; modelKey: string }) {
  const { t } = useTranslation();
  const trends = useQuery({
    queryKey: ['trends', organisationId, modelKey],
    queryFn: () => data(api.GET('/organisations/{organisationId}/trends', { params: { path: { organisationId }, query: { modelKey } } })),
  });
  const series = trends.data?.series.find((s) => s.scope.kind === 'organisation') ?? trends.data?.series[0];
  const option = useMemo(
    () =>
      series &&
      trendOption({
        maxStage: 5,
        periods: series.points.map((p) => p.period),
        lines: [
          {
            id: 'overall',
            name: t('insights.overall'),
            points: series.points.map((p) => ({
              period: p.period,
              score: p.overall.score,
              kind: p.comparability as 'native',
              change: (p.changeSincePrevious?.overall.label ?? null) as 'improved' | null,
            })),
          },
        ],
        labels: { native: t('insights.kind.native'), recalculated: t('insights.kind.recalculated'), mapped: t('insights.kind.mapped') },
      }),
    [series, t],
  );
  return (
    <section aria-labelledby="trend">
      <Heading level={3} id="trend">
        {t('coordinator.trend')}
      </Heading>
      {trends.isPending && <Loading />}
      {trends.error && <ErrorState error={trends.error} onRetry={() => void trends.refetch()} />}
      {trends.data && !series && <Empty>{t('insights.noTrendYet')}</Empty>}
      {series && (
        <>
          {series.points.length < 2 && <Paragraph>{t('coordinator.noTrend')}</Paragraph>}
          <Paragraph>{t('insights.onVersion', { version: series.modelVersion })}</Paragraph>
          {option && <Chart option={option} label={t('coordinator.trend')} />}
          <div className="maatlat-table-wrap">
            <table className="utrecht-table" data-trend>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('coordinator.period')}
                  </th>
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('insights.overall')}
                  </th>
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('insights.comparability')}
                  </th>
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('insights.change')}
                  </th>
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {series.points.map((p) => {
                  const change = p.changeSincePrevious?.overall;
                  return (
                    <tr className="utrecht-table__row" key={p.assessmentId} data-point={p.period} data-comparability={p.comparability} data-change={change?.label ?? ''}>
                      <th className="utrecht-table__header-cell" scope="row">
                        {p.period}
                      </th>
                      <td className="utrecht-table__cell" data-score>
                        {round(p.overall.score)}
                      </td>
                      <td className="utrecht-table__cell">{t(`insights.kind.${p.comparability}` as 'insights.kind.native')}</td>
                      <td className="utrecht-table__cell">
                        {change
                          ? t('insights.changeLine', {
                              label: t(`insights.label.${change.label}` as 'insights.label.improved'),
                              delta: change.delta === null ? '—' : `${change.delta > 0 ? '+' : ''}${change.delta.toFixed(2)}`,
                              interval: change.interval ? `${round(change.interval.lower)} … ${round(change.interval.upper)}` : '—',
                            })
                          : t('insights.firstPoint')}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** The report of a closed assessment: the HTML document now, or a PDF printed by a background job. */
export function ReportDownloads({ assessmentId }: { assessmentId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'nl';
  const html = useMutation({
    mutationFn: async () => {
      // The report needs the bearer token, which a plain link does not send.
      const response = await fetch(`/v1/assessments/${encodeURIComponent(assessmentId)}/report?lang=${lang}`, { headers: { Authorization: `Bearer ${currentSession()?.token ?? ''}` } }).catch(() => {
        throw new ApiError(0, null);
      });
      if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => null)) as Partial<Schemas['Problem']> | null);
      saveFile(await response.blob(), `report-${assessmentId}-${lang}.html`);
    },
  });
  const [reportId, setReportId] = useState<string | null>(null);
  const request = useMutation({
    mutationFn: () => data(api.POST('/assessments/{assessmentId}/reports', { params: { path: { assessmentId } }, headers: { 'Idempotency-Key': idempotencyKey() }, body: { lang, audience: 'internal' } })),
    onSuccess: (report) => setReportId(report.reportId),
  });
  const report = useQuery({
    queryKey: ['report', assessmentId, reportId],
    enabled: reportId !== null,
    queryFn: () => data(api.GET('/assessments/{assessmentId}/reports/{reportId}', { params: { path: { assessmentId, reportId: reportId ?? '' } } })),
    // Poll while the job prints it.
    refetchInterval: (query) => (query.state.data?.status === 'queued' ? 1000 : false),
  });
  const pdf = useMutation({
    mutationFn: async () => {
      const blob = await data(api.GET('/assessments/{assessmentId}/reports/{reportId}/pdf', { params: { path: { assessmentId, reportId: reportId ?? '' } }, parseAs: 'blob' }));
      saveFile(blob as Blob, `report-${reportId}.pdf`);
    },
  });
  const status = report.data?.status ?? (request.isPending || reportId ? 'queued' : null);
  return (
    <section aria-labelledby="reports">
      <Heading level={3} id="reports">
        {t('insights.reports')}
      </Heading>
      <Paragraph>{t('insights.reportsIntro')}</Paragraph>
      <div className="maatlat-actions">
        <Button appearance="secondary" onClick={() => html.mutate()} disabled={html.isPending} data-report-html>
          {t('insights.downloadHtml')}
        </Button>
        <Button appearance="secondary" onClick={() => request.mutate()} disabled={request.isPending || status === 'queued'} data-report-request>
          {t('insights.requestPdf')}
        </Button>
      </div>
      {html.error && <ErrorState error={html.error} onRetry={() => html.mutate()} />}
      {request.error && <ErrorState error={request.error} onRetry={() => request.mutate()} />}
      {report.error && <ErrorState error={report.error} onRetry={() => void report.refetch()} />}
      {status === 'queued' && (
        <p className="utrecht-paragraph" role="status" data-report-status="queued">
          {t('insights.pdfQueued')}
        </p>
      )}
      {report.data?.status === 'failed' && (
        <Alert type="error" title={t('insights.pdfFailed')}>
          <p className="utrecht-paragraph">{report.data.reason ?? ''}</p>
        </Alert>
      )}
      {report.data?.status === 'done' && (
        <Alert type="ok">
          <p className="utrecht-paragraph" data-report-status="done">
            {t('insights.pdfDone')} <code className="utrecht-code">SHA-256 {report.data.pdfSha256}</code>
          </p>
          <Button onClick={() => pdf.mutate()} disabled={pdf.isPending} data-report-pdf>
            {t('insights.downloadPdf')}
          </Button>
          {pdf.error && <ErrorState error={pdf.error} onRetry={() => pdf.mutate()} />}
        </Alert>
      )}
    </section>
  );
}
