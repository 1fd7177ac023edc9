import { createHash } from 'node:crypto';
import { NotFound, RuleBroken, ValidationFailed } from '@maatlat/shared/domain';
import { assessmentStreamId, describeScoreEventSelector, parseScoreEventSelector, type ScoreEventSelector } from '@maatlat/assessments/domain';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import { REPORT_AUDIENCES, REPORT_LANGUAGES, renderReportHtml, type ReportAudience, type ReportInput, type ReportLanguage } from '@maatlat/reports/domain';
import type { ReportsContext } from './reports.context';

export interface ReportOptions {
  lang: ReportLanguage;
  audience: ReportAudience;
  /** The recorded score to draw from (a stream version or event id of a score event); absent, the latest. */
  scoreEvent?: ScoreEventSelector;
}

/**
 * `lang` (nl default, en), `audience` (internal default, public) and `scoreEvent` (a score event's
 * stream version or event id; absent, the latest): anything else is a 400 naming the field.
 */
export function parseReportOptions(input: Record<string, unknown>): ReportOptions {
  const problems: { field: string; problem: string }[] = [];
  const lang = input.lang ?? 'nl';
  const audience = input.audience ?? 'internal';
  if (typeof lang !== 'string' || !REPORT_LANGUAGES.includes(lang as ReportLanguage)) problems.push({ field: 'lang', problem: `must be one of ${REPORT_LANGUAGES.join(', ')}` });
  if (typeof audience !== 'string' || !REPORT_AUDIENCES.includes(audience as ReportAudience)) problems.push({ field: 'audience', problem: `must be one of ${REPORT_AUDIENCES.join(', ')}` });
  let scoreEvent: ScoreEventSelector | undefined;
  if (input.scoreEvent !== undefined) {
    try {
      scoreEvent = parseScoreEventSelector(typeof input.scoreEvent === 'number' ? String(input.scoreEvent) : input.scoreEvent);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw new ValidationFailed(problems);
  return { lang: lang as ReportLanguage, audience: audience as ReportAudience, ...(scoreEvent ? { scoreEvent } : {}) };
}

/**
 * Everything a report is drawn from, read through the other features' services: the assessment's
 * latest score and the event recording it, the model's texts, the names, the trend and the
 * benchmark position. An open assessment has no report (422 naming it).
 */
export async function readReportInput(context: ReportsContext, assessmentId: string, options: ReportOptions, now: Date): Promise<ReportInput> {
  // Read at once, not one after another: a report's wait is its slowest read, not their sum.
  const [assessment, scoreEvents, opened] = await Promise.all([context.assessments.get(assessmentId), context.assessmentRecords.scoreEvents(assessmentId), context.assessmentRecords.opened(assessmentId)]);
  if (assessment.status !== 'closed' || !assessment.score || !assessment.scoreEvent || !scoreEvents.length) {
    throw new RuleBroken('report.assessment-open', `assessmentId: assessment ${assessmentId} is still open: a report needs a closed, scored assessment`, { field: 'assessmentId', assessmentId });
  }
  const latest = scoreEvents[scoreEvents.length - 1];
  const selector = options.scoreEvent;
  const chosen = selector ? scoreEvents.find((e) => ('version' in selector ? e.version === selector.version : e.eventId === selector.eventId)) : latest;
  if (!chosen) {
    throw new ValidationFailed([
      { field: 'scoreEvent', problem: `assessment ${assessmentId} has no score event ${describeScoreEventSelector(selector!)} (its score events: versions ${scoreEvents.map((e) => e.version).join(', ')})` },
    ]);
  }
  if (!opened) throw new NotFound('assessment', assessmentId);
  const scope = opened.scope;
  const modelKey = assessment.score.model.key;
  const [score, organisation, trend, benchmark] = await Promise.all([
    chosen.version === assessment.scoreEvent.version ? assessment.score : context.assessmentRecords.scoreEvent(assessmentId, { version: chosen.version }).then((r) => r.score),
    context.organisations.get(assessment.organisationId),
    trendOf(context, assessment.organisationId, assessmentId, scope, modelKey),
    scope.kind === 'organisation' ? context.insights.benchmarkPosition(assessment.organisationId, { modelKey, period: opened.period }).catch(orNull) : null,
  ]);
  const { document: model } = await context.catalogue.get(score.model.key, score.model.version);
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
    source: { streamId: assessmentStreamId(assessmentId), version: chosen.version, eventId: chosen.eventId, hash: chosen.hash, type: chosen.type, recordedAt: chosen.recordedAt },
    supersededBy: latest.version > chosen.version ? { version: latest.version, eventId: latest.eventId, type: latest.type, recordedAt: latest.recordedAt } : null,
    cellRespondents,
    respondents,
    trend,
    benchmark,
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
