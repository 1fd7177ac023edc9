import * as echarts from 'echarts';
import { heatmapOption, radarOption, trendOption, type ChartOption } from '@maatlat/shared/charts';
import type { BenchmarkFigure } from '@maatlat/insights/domain';
import type { LayerId, LocalisedText } from '@maatlat/model-catalogue/domain';
import { PUBLIC_MIN_RESPONDENTS, type ReportInput } from './report-input';
import { textsOf } from './report-texts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Renders one chart option to an SVG string with ECharts' server-side mode (no DOM). */
export function chartSvg(option: ChartOption, width: number, height: number, label: string): string {
  // ECharts is nine tenths of a report's CPU; an SVG is a function of its option, size and label
  // alone, and a report's options stay the same for one score event, language and audience.
  const key = JSON.stringify([option, width, height, label]);
  const kept = charts.get(key);
  if (kept !== undefined) {
    charts.delete(key); // most recently used last
    charts.set(key, kept);
    return kept;
  }
  const svg = renderChart(option, width, height, label);
  charts.set(key, svg);
  if (charts.size > CHARTS_KEPT) charts.delete(charts.keys().next().value!);
  return svg;
}

/** The SVGs drawn lately, least recently used first: a bound of a few MB (an SVG is 10–60 kB). */
const charts = new Map<string, string>();
const CHARTS_KEPT = 64;

function renderChart(option: ChartOption, width: number, height: number, label: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    // The chart is an image with a name; the numbers are in the tables beside it.
    return chart.renderToSVGString().replace(/^<svg /, `<svg role="img" aria-label="${escape(label)}" focusable="false" `);
  } finally {
    chart.dispose();
  }
}

/**
 * The notice on a report drawn from a score that was later recalculated: it names the newer score
 * event (version and id) and links the report of it. The link is a path on the platform's API
 * (`/v1/assessments/{id}/report?scoreEvent=`), printed too, so a PDF reader can follow it by hand.
 */
function superseded(input: ReportInput, recordedAt: string): string {
  const t = textsOf(input.language);
  const newer = input.supersededBy!;
  const href = `/v1/assessments/${encodeURIComponent(input.assessmentId)}/report?scoreEvent=${newer.version}&lang=${input.language}&audience=${input.audience}`;
  return `<div class="notice" data-superseded="${newer.version}" data-superseded-event="${escape(newer.eventId)}"><p>${escape(t.superseded(newer.version, recordedAt))}</p>
<p>${escape(t.scoreEvent)} ${newer.version} (${escape(newer.type)}): <code>${escape(newer.eventId)}</code><br><a href="${escape(href)}" data-field="newer-report">${escape(t.newerScore)}</a>: <code>${escape(href)}</code></p></div>`;
}

const CSS = `
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1f2937; font-size: 10.5pt; line-height: 1.45; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 20pt; color: #01689b; margin: 0 0 4mm; }
h2 { font-size: 14pt; color: #01689b; border-bottom: 1px solid #01689b; padding-bottom: 1mm; margin-top: 8mm; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 5mm 0 1mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; }
th, td { border: 1px solid #9ca3af; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #e5eef5; }
td.num { text-align: right; white-space: nowrap; }
.cover dl { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; }
.cover dt { font-weight: bold; }
.cover dd { margin: 0; }
.notice { border-left: 4px solid #b45309; background: #fff7ed; padding: 2mm 3mm; }
.factor { break-inside: avoid; border-top: 1px solid #d1d5db; padding-top: 2mm; }
figure { margin: 3mm 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #4b5563; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
.severity-high { font-weight: bold; color: #991b1b; }
section { break-inside: auto; }
`;

/**
 * The report as one self-contained HTML document (inline CSS, inline SVG charts), printable: the
 * same document is served as HTML and printed to PDF. The public variant holds aggregates only.
 */
export function renderReportHtml(input: ReportInput): string {
  const { language: lang, model, score } = input;
  const t = textsOf(lang);
  const isPublic = input.audience === 'public';
  const text = (l: LocalisedText) => escape(l[lang] || l.nl);
  const number = new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '–' : number.format(n));
  const date = (iso: string | Date) =>
    new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(typeof iso === 'string' ? new Date(iso) : iso);
  const stageName = (level: number | null) => (level === null ? t.noScore : `${level} ${text(model.stages.find((s) => s.level === level)?.name ?? { nl: String(level), en: String(level) })}`);
  const factorName = (id: string) => text(model.factors.find((f) => f.id === id)?.name ?? { nl: id, en: id });
  const scoreOf = (id: string) => score.factors.find((f) => f.factorId === id);
  const layers = model.layers.map((l) => ({ id: l.id, name: text(l.name) }));
  const layerCell = (factorId: string, layer: LayerId): number | null => {
    const value = scoreOf(factorId)?.byLayer[layer]?.value ?? null;
    if (value === null) return null;
    if (isPublic && (input.cellRespondents[factorId]?.[layer] ?? 0) < PUBLIC_MIN_RESPONDENTS) return null;
    return value;
  };
  const withheld = (factorId: string, layer: LayerId) => isPublic && scoreOf(factorId)?.byLayer[layer] && (input.cellRespondents[factorId]?.[layer] ?? 0) < PUBLIC_MIN_RESPONDENTS;

  const parts: string[] = [];
  const overallStage = score.overall.stage;

  // Cover
  const scopeLine = `${escape(t.scopeKinds[input.scope.kind])}: ${escape(input.scopeName)}`;
  parts.push(`<header class="cover"><h1>${escape(t.title)}</h1>
${isPublic ? `<p class="notice">${escape(t.publicVariant)}</p>` : ''}
${input.supersededBy ? superseded(input, date(input.supersededBy.recordedAt)) : ''}
<dl>
<dt>${escape(t.organisation)}</dt><dd data-field="organisation">${escape(input.organisationName)}</dd>
<dt>${escape(t.scope)}</dt><dd>${scopeLine}</dd>
<dt>${escape(t.period)}</dt><dd>${escape(input.period)}</dd>
<dt>${escape(t.model)}</dt><dd>${text(model.title)} (${escape(model.key)} ${escape(model.version)})</dd>
<dt>${escape(t.closedOn)}</dt><dd>${input.closedAt ? escape(date(input.closedAt)) : '–'}</dd>
<dt>${escape(t.overall)}</dt><dd><span data-score="overall">${fmt(score.overall.score)}</span></dd>
<dt>${escape(t.overallStage)}</dt><dd data-stage="overall">${stageName(overallStage)}</dd>
</dl></header>`);

  // Radar with the peer median where shown
  const typeGroup = input.benchmark?.modelVersion === model.version ? input.benchmark.groups.find((g) => g.groupBy === 'organisationType') : undefined;
  const peerMedian = (id: string) => {
    const figure = typeGroup?.cell.factors.find((f) => f.factorId === id);
    return figure && figure.status === 'shown' ? figure.p50 : null;
  };
  const radar = radarOption({
    maxStage: 5,
    labels: { organisation: input.organisationName, peerMedian: t.peerMedian },
    factors: model.factors.map((f) => ({ id: f.id, name: f.name[lang] || f.name.nl, score: scoreOf(f.id)?.score ?? null, peerMedian: peerMedian(f.id) })),
  });
  parts.push(`<section><h2>${escape(t.overview)}</h2><figure>${chartSvg(radar, 680, 520, t.radarTitle)}<figcaption>${escape(t.radarTitle)}</figcaption></figure>
<table><caption class="visually-hidden">${escape(t.radarTitle)}</caption><thead><tr><th scope="col">${escape(t.factor)}</th><th scope="col">${escape(t.score)}</th><th scope="col">${escape(t.stage)}</th>${typeGroup ? `<th scope="col">${escape(t.peerMedian)}</th>` : ''}</tr></thead><tbody>
${model.factors
  .map((f) => {
    const s = scoreOf(f.id);
    return `<tr><th scope="row">${text(f.name)}</th><td class="num" data-score="${f.id}">${fmt(s?.score)}</td><td data-stage="${f.id}">${stageName(s?.stage ?? null)}</td>${typeGroup ? `<td class="num" data-peer-median="${f.id}">${peerMedian(f.id) === null ? escape(t.suppressed(input.benchmark!.minGroup)) : fmt(peerMedian(f.id))}</td>` : ''}</tr>`;
  })
  .join('\n')}
<tr><th scope="row">${escape(t.overall)}</th><td class="num">${fmt(score.overall.score)}</td><td>${stageName(overallStage)}</td>${typeGroup ? '<td></td>' : ''}</tr>
</tbody></table></section>`);

  // Per factor
  parts.push(`<section><h2>${escape(t.factorsHeading)}</h2>`);
  for (const factor of model.factors) {
    const s = scoreOf(factor.id);
    const stage = s?.stage ?? null;
    const reachedStage = stage === null ? null : model.stages.find((x) => x.level === stage);
    const nextStage = stage === null ? model.stages[0] : model.stages.find((x) => x.level === stage + 1);
    const legal = factor.questions.flatMap((q) => q.legalReferences);
    const uniqueLegal = [...new Map(legal.map((r) => [`${r.law}|${r.article ?? ''}|${r.note ?? ''}`, r])).values()];
    parts.push(`<article class="factor" aria-labelledby="h-${factor.id}"><h3 id="h-${factor.id}">${escape(factor.id)} ${text(factor.name)}</h3>
<p>${escape(t.score)}: <strong>${fmt(s?.score)}</strong> · ${escape(t.stage)}: <strong>${stageName(stage)}</strong></p>
${reachedStage ? `<p><strong>${escape(t.reached)}:</strong> ${text(reachedStage.description)}</p>` : ''}
<p><strong>${escape(t.nextStep)}:</strong> ${nextStage ? text(nextStage.description) : escape(t.highestStage)}</p>
<table><thead><tr><th scope="col">${escape(t.perQuestion)}</th><th scope="col">${escape(t.reached)}</th><th scope="col">${escape(t.nextStep)}</th></tr></thead><tbody>
${factor.questions
  .map((q) => {
    const now = stage === null ? undefined : q.rubric.find((r) => r.level === stage);
    const next = q.rubric.find((r) => r.level === (stage === null ? 0 : stage + 1));
    return `<tr><td>${text(q.text)}</td><td>${now ? text(now.description) : '–'}</td><td>${next ? text(next.description) : escape(t.highestStage)}</td></tr>`;
  })
  .join('\n')}
</tbody></table>
<p><strong>${escape(t.legalReferences)}:</strong> ${uniqueLegal.length ? uniqueLegal.map((r) => escape([r.law, r.article].filter(Boolean).join(' ') + (r.note ? ` (${r.note})` : ''))).join('; ') : escape(t.none)}</p>
</article>`);
  }
  parts.push(`<p><em>${escape(t.legalNote)}</em></p></section>`);

  // Heatmap factor x layer, with the spread and the disagreements as findings
  const heatmap = heatmapOption({
    maxStage: 5,
    factors: model.factors.map((f) => ({ id: f.id, name: f.name[lang] || f.name.nl })),
    layers: model.layers.map((l) => ({ id: l.id, name: l.name[lang] || l.name.nl })),
    cells: model.factors.flatMap((f) => model.layers.map((l) => ({ factorId: f.id, layerId: l.id, score: layerCell(f.id, l.id) }))),
  });
  const disagreeing = score.factors.filter((f) => f.spread !== null && f.spread >= 1);
  parts.push(`<section><h2>${escape(t.heatmapHeading)}</h2><figure>${chartSvg(heatmap, 680, 40 * model.factors.length + 120, t.heatmapTitle)}<figcaption>${escape(t.heatmapTitle)}</figcaption></figure>
<table><thead><tr><th scope="col">${escape(t.factor)}</th>${layers.map((l) => `<th scope="col">${l.name}</th>`).join('')}<th scope="col">${escape(t.spread)}</th></tr></thead><tbody>
${model.factors
  .map(
    (f) =>
      `<tr><th scope="row">${text(f.name)}</th>${layers
        .map((l) => `<td class="num" data-layer-score="${f.id}:${l.id}">${withheld(f.id, l.id) ? escape(t.withheld) : fmt(layerCell(f.id, l.id))}</td>`)
        .join('')}<td class="num" data-spread="${f.id}">${fmt(scoreOf(f.id)?.spread)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>
<h3>${escape(t.disagreements)}</h3>
${disagreeing.length ? `<ul>${disagreeing.map((f) => `<li data-finding="${f.factorId}">${escape(t.disagreement(factorName(f.factorId), fmt(f.spread)))}</li>`).join('')}</ul>` : `<p>${escape(t.noDisagreements)}</p>`}
</section>`);

  // Strengths, attention points, risks
  const list = (ids: readonly string[]) => `<ul>${ids.map((id) => `<li>${factorName(id)} (${fmt(scoreOf(id)?.score)})</li>`).join('')}</ul>`;
  parts.push(`<section><h2>${escape(t.strengths)}</h2>${list(score.strengths)}
<h2>${escape(t.attentionPoints)}</h2>${list(score.attentionPoints)}
<h2>${escape(t.risks)}</h2>
${score.risks.length ? `<table><thead><tr><th scope="col">${escape(t.severityLabel)}</th><th scope="col">${escape(t.risks)}</th></tr></thead><tbody>${score.risks.map((r) => `<tr data-risk="${escape(r.ruleId)}"><td class="severity-${r.severity}">${escape(t.severity[r.severity])}</td><td>${escape(r.message[lang] || r.message.nl)}</td></tr>`).join('')}</tbody></table>` : `<p>${escape(t.noRisks)}</p>`}
</section>`);

  // Trend
  parts.push(`<section><h2>${escape(t.trendHeading)}</h2>`);
  const points = input.trend?.points ?? [];
  if (points.length < 2) parts.push(`<p>${escape(t.noTrend)}</p>`);
  if (points.length) {
    const trendModel = input.trend!.modelVersion;
    const factorIds = model.version === trendModel ? model.factors.map((f) => f.id) : [...new Set(points.flatMap((p) => p.factors.map((f) => f.factorId)))];
    const lines = [
      { id: 'overall', name: t.overall, points: points.map((p) => ({ period: p.period, score: p.overall.score, kind: p.comparability, change: p.change?.overall ?? null })) },
      ...factorIds.map((id) => ({
        id,
        name: model.factors.find((f) => f.id === id)?.name[lang] ?? id,
        points: points.map((p) => ({ period: p.period, score: p.factors.find((f) => f.factorId === id)?.score ?? null, kind: p.comparability, change: p.change?.factors[id] ?? null })),
      })),
    ];
    const periods = points.map((p) => p.period);
    const option = trendOption({ maxStage: 5, periods, lines: [lines[0]], labels: t.kinds });
    parts.push(`<figure>${chartSvg(option, 680, 300, `${t.trendTitle}: ${t.overall}`)}<figcaption>${escape(t.trendTitle)}: ${escape(t.overall)}</figcaption></figure>`);
    const factorOption = trendOption({ maxStage: 5, periods, lines: lines.slice(1), labels: t.kinds });
    parts.push(`<figure>${chartSvg(factorOption, 680, 420, `${t.trendTitle}: ${t.factorsHeading}`)}<figcaption>${escape(t.trendTitle)}: ${escape(t.factorsHeading)}</figcaption></figure>`);
    parts.push(`<table><thead><tr><th scope="col">${escape(t.period)}</th><th scope="col">${escape(t.basis)}</th><th scope="col">${escape(t.overall)}</th><th scope="col">${escape(t.change)}</th></tr></thead><tbody>
${points.map((p) => `<tr data-trend-point="${escape(p.period)}"><td>${escape(p.period)}</td><td data-trend-kind="${p.comparability}">${escape(t.kinds[p.comparability])}</td><td class="num" data-trend-overall="${escape(p.period)}">${fmt(p.overall.score)}</td><td>${p.change ? escape(t.changes[p.change.overall]) : '–'}</td></tr>`).join('\n')}
</tbody></table>`);
  }
  parts.push(`</section>`);

  // Benchmark position
  parts.push(`<section><h2>${escape(t.benchmarkHeading)}</h2>`);
  if (!input.benchmark) parts.push(`<p>${escape(t.noBenchmark)}</p>`);
  else {
    const b = input.benchmark;
    if (b.modelVersion !== model.version) parts.push(`<p>${escape(t.benchmarkOtherVersion(b.modelVersion))}</p>`);
    const figure = (f: BenchmarkFigure, group: string) =>
      f.status === 'shown'
        ? `<td class="num" data-band="${group}:organisations">${f.organisations}</td>${(['p10', 'p25', 'p50', 'p75', 'p90'] as const).map((band) => `<td class="num" data-band="${group}:${band}">${fmt(f[band])}</td>`).join('')}`
        : `<td colspan="6" data-suppressed="${group}">${escape(f.reason === 'fewer-than-k' ? t.suppressed(b.minGroup) : t.suppressedDifferencing)}</td>`;
    parts.push(`<p>${escape(t.ownScore)}: <strong data-field="own-overall">${fmt(b.own.overall)}</strong></p>
<table><thead><tr><th scope="col"></th><th scope="col">${escape(t.organisations)}</th><th scope="col">p10</th><th scope="col">p25</th><th scope="col">p50</th><th scope="col">p75</th><th scope="col">p90</th><th scope="col">${escape(t.percentileRank)}</th></tr></thead><tbody>
${b.groups.map((g) => `<tr data-benchmark-group="${g.groupBy}"><th scope="row">${escape(t.groups[g.groupBy])}</th>${figure(g.cell.overall, g.groupBy)}<td class="num" data-percentile-rank="${g.groupBy}">${g.overallPercentileRank === null ? '–' : fmt(g.overallPercentileRank)}</td></tr>`).join('\n')}
</tbody></table>`);
  }
  parts.push(`</section>`);

  // Respondents: internal only
  if (!isPublic && input.respondents.length) {
    parts.push(`<section><h2>${escape(t.respondentsHeading)}</h2><table><thead><tr><th scope="col">${escape(t.layer)}</th><th scope="col">${escape(t.respondentsHeading)}</th></tr></thead><tbody>
${layers.map((l) => `<tr><td>${l.name}</td><td>${input.respondents.filter((r) => r.layer === l.id).map((r) => `<code>${escape(r.respondentId)}</code>`).join(', ') || '–'}</td></tr>`).join('\n')}
</tbody></table></section>`);
  }

  // Methodology and verification
  const verify = `npm run cli -- verify --assessment ${input.assessmentId}`;
  parts.push(`<section><h2>${escape(t.methodologyHeading)}</h2><p>${escape(t.method)}</p>
<table><tbody>
<tr><th scope="row">${escape(t.contentHash)}</th><td><code data-field="content-hash">${escape(score.model.contentHash)}</code></td></tr>
<tr><th scope="row">${escape(t.algorithm)}</th><td><code>${escape(score.algorithm)}</code></td></tr>
<tr><th scope="row">${escape(t.scoreEvent)}</th><td>${escape(t.stream)} <code>${escape(input.source.streamId)}</code>, ${escape(t.version)} <code data-field="score-event-version">${input.source.version}</code> (${escape(input.source.type)}, ${escape(date(input.source.recordedAt))})<br>${escape(t.eventHash)} <code data-field="score-event-hash">${escape(input.source.hash)}</code></td></tr>
<tr><th scope="row">${escape(t.generatedAt)}</th><td>${escape(date(input.generatedAt))} (<code>${escape(input.generatedAt.toISOString())}</code>)</td></tr>
</tbody></table>
<p>${escape(t.verifyHow)}<br><code data-field="verify-command">${escape(verify)}</code></p>
<p>${escape(t.verifyPdf)}<br><code>npm run cli -- report verify FILE</code></p>
</section>`);

  const title = `${t.title}: ${input.organisationName}, ${input.period}`;
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>${CSS}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}</style></head>
<body><main>
${parts.join('\n')}
</main></body></html>`;
}

