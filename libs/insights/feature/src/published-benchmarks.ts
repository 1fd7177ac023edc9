import { NotFound, type CommandMetadata } from '@maatlat/shared/domain';
import { domainEvent, handleCommand, verifyEventStore, type RecordedEvent } from '@maatlat/shared/event-store';
import type { AssessmentEvent } from '@maatlat/assessments/domain';
import {
  BENCHMARK_GROUPINGS,
  benchmarkCells,
  benchmarkPublicationDecider,
  benchmarkPublicationStreamId,
  comparableScore,
  evolveTrendPoint,
  figureDifferences,
  PERCENTILE_METHOD,
  peerScoreOf,
  type BenchmarkLevel,
  type BenchmarkPublicationEvent,
  type ComparableScore,
  type FigureDifference,
  type PeerScore,
  type TrendPoint,
} from '@maatlat/insights/domain';
import { publishedModel } from './crosswalk-links';
import type { InsightsContext } from './insights.context';
import { minGroupOf, peerScores, type BenchmarkQuery, type BenchmarkView, type PublicationReference } from './read-benchmarks';

type PublishedRecord = RecordedEvent<BenchmarkPublicationEvent> & { hash?: string };

function referenceOf(event: PublishedRecord): PublicationReference {
  return {
    edition: event.data.edition,
    publishedAt: event.recordedAt.toISOString(),
    streamId: event.streamId,
    version: event.version,
    eventId: event.eventId,
    hash: event.hash ?? '',
    scoreEventsCited: event.data.inputs.reduce((n, i) => n + i.scoreEvents.length, 0),
  };
}

export interface PublishedBenchmarkView extends PublicationReference {
  modelKey: string;
  period: string;
  level: BenchmarkLevel;
  modelVersion: string;
  minGroup: number;
  organisations: number;
}

async function editions(context: InsightsContext, modelKey: string, period: string, level: BenchmarkLevel): Promise<PublishedRecord[]> {
  return context.store.readStream<BenchmarkPublicationEvent>(benchmarkPublicationStreamId(modelKey, period, level), { withHashes: true });
}

async function edition(context: InsightsContext, query: { modelKey: string; period: string; level: BenchmarkLevel; edition: 'latest' | number }): Promise<PublishedRecord> {
  const all = await editions(context, query.modelKey, query.period, query.level);
  const found = query.edition === 'latest' ? all[all.length - 1] : all.find((e) => e.data.edition === query.edition);
  if (!found) throw new NotFound('published-benchmark', `${query.modelKey} ${query.period} ${query.level} edition ${query.edition}`);
  return found;
}

/**
 * Publishes the benchmark of a model key and period as it stands: a `BenchmarkPublished` event
 * freezing the score events that went in (stream, version, id, hash), each organisation's type
 * and size band then, and the figures of every grouping. Later recalculations change the live
 * benchmark, never a published edition; publishing again makes a new edition.
 */
export async function publishBenchmark(
  context: InsightsContext,
  query: { modelKey: string; period: string; level: BenchmarkLevel },
  metadata: CommandMetadata,
  expectedRevision?: number,
): Promise<PublishedBenchmarkView> {
  const minGroup = context.benchmarkMinGroup;
  const { modelVersion, factorIds, scores, inputs } = await peerScores(context, query);
  const streamId = benchmarkPublicationStreamId(query.modelKey, query.period, query.level);
  const { result } = await handleCommand(context.store, benchmarkPublicationDecider, streamId, {
    type: 'PublishBenchmark',
    data: {
      modelKey: query.modelKey,
      period: query.period,
      level: query.level,
      modelVersion,
      minGroup,
      percentileMethod: PERCENTILE_METHOD,
      inputs,
      figures: BENCHMARK_GROUPINGS.map((groupBy) => ({ groupBy, cells: benchmarkCells(scores, groupBy, minGroup, factorIds) })),
    },
    metadata,
  }, { expectedVersion: expectedRevision });
  // A replayed command appended nothing: its edition is the one recorded the first time.
  const published = await context.store.readStream<BenchmarkPublicationEvent>(streamId, { withHashes: true, fromVersion: result!.nextExpectedVersion, toVersion: result!.nextExpectedVersion });
  const event = published[0];
  return { ...referenceOf(event), modelKey: query.modelKey, period: query.period, level: query.level, modelVersion: event.data.modelVersion, minGroup: event.data.minGroup, organisations: event.data.inputs.length };
}

/** `GET /benchmarks?published=…`: an edition's frozen figures, in the live benchmark's shape. */
export async function readPublishedBenchmark(context: InsightsContext, query: BenchmarkQuery & { published: 'latest' | number }): Promise<BenchmarkView> {
  if (query.minGroup !== undefined) minGroupOf(context, query);
  const event = await edition(context, { ...query, edition: query.published });
  const { data } = event;
  return {
    modelKey: data.modelKey,
    modelVersion: data.modelVersion,
    period: data.period,
    groupBy: query.groupBy,
    level: data.level,
    minGroup: data.minGroup,
    percentileMethod: data.percentileMethod,
    cells: data.figures.find((f) => f.groupBy === query.groupBy)?.cells ?? [],
    publication: referenceOf(event),
  };
}

export interface CitedEventProblem {
  streamId: string;
  version: number;
  eventId: string;
  problem: string;
}

export interface BenchmarkVerification {
  modelKey: string;
  period: string;
  level: BenchmarkLevel;
  edition: number;
  status: 'verified' | 'differences';
  scoreEventsChecked: number;
  /** Cited score events that no longer hold: missing, another id or hash, or a broken chain up to them. */
  problems: CitedEventProblem[];
  /** Figures recomputed from the cited events that differ from the frozen ones. */
  differences: FigureDifference[];
  /** The publication's own stream. */
  publicationChain: { ok: boolean; breaks: { streamId: string; version: number; problem: string }[] };
}

/**
 * Recomputes a published edition's figures from the score events it cites, read afresh from the
 * log: each must still be there with the id and hash cited, its stream's hash chain must hold up
 * to it, and the figures it gives (brought onto the frozen model version the same way, with the
 * frozen organisation profiles and k) must equal the frozen ones.
 */
export async function verifyPublishedBenchmark(context: InsightsContext, query: { modelKey: string; period: string; level: BenchmarkLevel; edition: 'latest' | number }): Promise<BenchmarkVerification> {
  const event = await edition(context, query);
  const { data } = event;
  const { links } = await publishedModel(context, data.modelKey);
  const factorIds = (await context.catalogue.get(data.modelKey, data.modelVersion)).document.factors.map((f) => f.id);
  const problems: CitedEventProblem[] = [];
  let scoreEventsChecked = 0;
  const scores: PeerScore[] = [];
  for (const input of data.inputs) {
    const comparables: ComparableScore[] = [];
    for (const cited of input.scoreEvents) {
      scoreEventsChecked += 1;
      const problem = (text: string) => problems.push({ streamId: cited.streamId, version: cited.version, eventId: cited.eventId, problem: text });
      const stream = await context.store.readStream<AssessmentEvent>(cited.streamId, { withHashes: true, toVersion: cited.version });
      const found = stream.find((e) => e.version === cited.version);
      if (!found) {
        problem('the cited score event is no longer in the log');
        continue;
      }
      if (found.eventId !== cited.eventId) problem(`the event at this version has another id (${found.eventId})`);
      if (cited.hash !== null && found.hash !== cited.hash) problem(`the event's chain hash is ${found.hash}, not the ${cited.hash} cited`);
      const chain = await verifyEventStore(context.db, { streamId: cited.streamId });
      for (const broken of chain.breaks.filter((b) => b.version <= cited.version)) problem(`the hash chain of its stream breaks at version ${broken.version}: ${broken.problem}`);
      let point: TrendPoint | undefined;
      for (const e of stream) {
        point = evolveTrendPoint(point, { streamId: e.streamId, version: e.version, eventId: e.eventId, hash: e.hash ?? null, recordedAt: e.recordedAt, event: domainEvent(e) });
      }
      const comparable = point && comparableScore(point, data.modelVersion, links);
      if (!comparable || point?.score?.event.eventId !== found.eventId) {
        problem('the cited event does not give a score comparable on the published model version');
        continue;
      }
      comparables.push(comparable);
    }
    if (comparables.length) scores.push(peerScoreOf(input, comparables, factorIds));
  }
  const recomputed = BENCHMARK_GROUPINGS.map((groupBy) => ({ groupBy, cells: benchmarkCells(scores, groupBy, data.minGroup, factorIds) }));
  const differences = figureDifferences(data.figures, recomputed);
  const publicationChain = await verifyEventStore(context.db, { streamId: event.streamId });
  return {
    modelKey: data.modelKey,
    period: data.period,
    level: data.level,
    edition: data.edition,
    status: problems.length === 0 && differences.length === 0 && publicationChain.ok ? 'verified' : 'differences',
    scoreEventsChecked,
    problems,
    differences,
    publicationChain: { ok: publicationChain.ok, breaks: publicationChain.breaks },
  };
}

