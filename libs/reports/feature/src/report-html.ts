import { createHash } from 'node:crypto';
import { NotFound, RuleBroken, ValidationFailed } from '@maatlat/shared/domain';
import { assessmentStreamId } from '@maatlat/assessments/domain';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import { REPORT_AUDIENCES, REPORT_LANGUAGES, renderReportHtml, type ReportAudience, type ReportInput, type ReportLanguage } from '@maatlat/reports/domain';
import type { ReportsContext } from './reports.context';

export interface ReportOptions {
  lang: ReportLanguage;
  audience: ReportAudience;
}

/** `lang` (nl default, en) and `audience` (internal default, public): anything else is a 400 naming the field. */
export function parseReportOptions(input: Record<string, unknown>): ReportOptions {
  const problems: { field: string; problem: string }[] = [];
  const lang = input.lang ?? 'nl';
  const audience = input.audience ?? 'internal';
  if (typeof lang !== 'string' || !REPORT_LANGUAGES.includes(lang as ReportLanguage)) problems.push({ field: 'lang', problem: `must be one of ${REPORT_LANGUAGES.join(', ')}` });
  if (typeof audience !== 'string' || !REPORT_AUDIENCES.includes(audience as ReportAudience)) problems.push({ field: 'audience', problem: `must be one of ${REPORT_AUDIENCES.join(', ')}` });
  if (problems.length) throw new ValidationFailed(problems);
  return { lang: lang as ReportLanguage, audience: audience as ReportAudience };
}

/**
 * Everything a report is drawn from, read through the other features' services: the assessment's
 * latest score and the event recording it, the model's texts, the names, the trend and the
 * benchmark position. An open assessment has no report (422 naming it).
 */
export async function readReportInput(context: ReportsContext, assessmentId: string, options: ReportOptions, now: Date): Promise<ReportInput> {
  const assessment = await context.assessments.get(assessmentId);
  if (assessment.status !== 'closed' || !assessment.score || !assessment.scoreEvent) {
    throw new RuleBroken('report.assessment-open', `assessmentId: assessment ${assessmentId} is still open: a report needs a closed, scored assessment`, { field: 'assessmentId', assessmentId });
  }
  const opened = await context.assessmentRecords.opened(assessmentId);
  if (!opened) throw new NotFound('assessment', assessmentId);
  const score = assessment.score;
  const [{ document: model }, organisation, scoreEvents] = await Promise.all([
    context.catalogue.get(score.model.key, score.model.version),
    context.organisations.get(assessment.organisationId),
    context.assessments.scoreEvents(assessmentId),
  ]);
  const scope = opened.scope;
  const scopeName =
    scope.kind === 'unit' ? (organisation.units.find((u) => u.unitId === scope.unitId)?.name ?? scope.unitId) : scope.kind === 'chain' ? (await context.chains.get(scope.chainId)).name : organisation.name;

  const questionFactor = new Map(model.factors.flatMap((f) => f.questions.map((q) => [q.id, f.id] as const)));
  const cells = new Map<string, Set<string>>();
  for (const answer of assessment.countedAnswers) {
    const key = `${questionFactor.get(answer.questionId)}|${answer.layer}`;
    cells.set(key, (cells.get(key) ?? new Set()).add(answer.respondentId));
  }
  const cellRespondents: ReportInput['cellRespondents'] = {};
  for (const [key, respondents] of cells) {
    const [factorId, layer] = key.split('|');
    (cellRespondents[factorId] ??= {})[layer as LayerId] = respondents.size;
  }
  const respondents = [...new Map(assessment.countedAnswers.map((a) => [a.respondentId, { respondentId: a.respondentId, layer: a.layer }])).values()].sort((a, b) =>
    a.respondentId.localeCompare(b.respondentId),
  );

  return {
    language: options.lang,
    audience: options.audience,
    assessmentId,
    organisationName: organisation.name,
    scope,
    scopeName,
    period: opened.period,
    closedAt: scoreEvents.find((e) => e.type === 'ScoreCalculated')?.recordedAt ?? null,
    model,
    score,
    source: { streamId: assessmentStreamId(assessmentId), version: assessment.scoreEvent.version, eventId: assessment.scoreEvent.eventId, hash: assessment.scoreEvent.hash, type: assessment.scoreEvent.type, recordedAt: assessment.scoreEvent.recordedAt },
    supersededBy: null,
    cellRespondents,
    respondents,
    trend: await trendOf(context, assessment.organisationId, assessmentId, scope, score.model.key),
    benchmark: scope.kind === 'organisation' ? await context.insights.benchmarkPosition(assessment.organisationId, { modelKey: score.model.key, period: opened.period }).catch(orNull) : null,
    generatedAt: now,
  };
}

// A missing benchmark or trend (no comparable scores yet) leaves its section saying so; a database
// fault still fails the report.
function orNull(error: unknown): null {
  if (error instanceof NotFound || error instanceof RuleBroken) return null;
  throw error;
}

async function trendOf(context: ReportsContext, organisationId: string, assessmentId: string, scope: ReportInput['scope'], modelKey: string): Promise<ReportInput['trend']> {
  const filter = scope.kind === 'unit' ? { unitId: scope.unitId, modelKey } : scope.kind === 'chain' ? { chainId: scope.chainId, modelKey } : { modelKey };
  const trends = await context.insights.organisationTrends(organisationId, filter).catch(orNull);
  const series = trends?.series.find((s) => s.points.some((p) => p.assessmentId === assessmentId));
  if (!series) return null;
  return {
    modelVersion: series.modelVersion,
    points: series.points.map((p) => ({
      assessmentId: p.assessmentId,
      period: p.period,
      comparability: p.comparability,
      overall: p.overall,
      factors: p.factors,
      change: p.changeSincePrevious && {
        overall: p.changeSincePrevious.overall.label,
        factors: Object.fromEntries(p.changeSincePrevious.factors.map((f) => [f.factorId, f.label])),
      },
    })),
  };
}

/** The report as one HTML document, with its SHA-256 (an ETag for the same figures and moment). */
export async function reportHtml(context: ReportsContext, assessmentId: string, options: ReportOptions, now: Date): Promise<{ html: string; input: ReportInput }> {
  const input = await readReportInput(context, assessmentId, options, now);
  return { html: renderReportHtml(input), input };
}

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
