import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { BENCHMARK_GROUPINGS, MIN_GROUP_FLOOR, type BenchmarkGrouping, type BenchmarkLevel } from '@maatlat/insights/domain';

/** Response views of the insights routes, for the OpenAPI document (responses are plain objects of these shapes). */

export class ScopeView {
  @ApiProperty({ enum: ['organisation', 'unit', 'chain'] }) kind!: string;
  @ApiPropertyOptional() organisationId?: string;
  @ApiPropertyOptional() unitId?: string;
  @ApiPropertyOptional() chainId?: string;
}

export class ScoreFigureView {
  @ApiProperty({ type: Number, nullable: true, example: 2.67 }) score!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 2 }) stage!: number | null;
}

export class TrendFactorView {
  @ApiProperty({ example: 'F07a' }) factorId!: string;
  @ApiProperty({ type: Number, nullable: true }) score!: number | null;
  @ApiProperty({ type: Number, nullable: true }) stage!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '1.0 unchanged since the version answered on; the crosswalk weight for a split or merge (times the share of question weight kept when questions were retired; multiplied over a chain of crosswalks); null for a new factor, whose line starts there',
  })
  continuity!: number | null;
  @ApiProperty({ enum: ['unchanged', 'reshaped', 'split', 'merged', 'new'] }) relation!: string;
  @ApiProperty({ type: String, nullable: true, example: 'split from F07 in datagedreven-overheid@2027.1 (weight 0.5)' }) note!: string | null;
}

export class IntervalView {
  @ApiProperty() lower!: number;
  @ApiProperty() upper!: number;
}

export class FigureChangeView {
  @ApiPropertyOptional({ description: 'Factors only' }) factorId?: string;
  @ApiProperty({ type: Number, nullable: true }) previous!: number | null;
  @ApiProperty({ type: Number, nullable: true }) current!: number | null;
  @ApiProperty({ type: Number, nullable: true }) delta!: number | null;
  @ApiProperty({ type: IntervalView, nullable: true, description: '90% percentile-bootstrap interval of the change, over respondents' }) interval!: IntervalView | null;
  @ApiProperty({ enum: ['improved', 'stable', 'declined', 'undetermined'], description: 'From the interval, never from the raw delta' }) label!: string;
}

export class ChangeSincePreviousView {
  @ApiProperty() previousAssessmentId!: string;
  @ApiProperty() method!: string;
  @ApiProperty() iterations!: number;
  @ApiProperty({ description: 'Seed of the resampling, from the two assessment ids: every replay gives the same interval' }) seed!: number;
  @ApiProperty({ type: FigureChangeView }) overall!: FigureChangeView;
  @ApiProperty({ type: [FigureChangeView] }) factors!: FigureChangeView[];
}

export class ScoredOnView {
  @ApiProperty({ example: '2026.1' }) modelVersion!: string;
  @ApiProperty({ example: 'maatlat-scoring/v1' }) algorithm!: string;
  @ApiProperty({ enum: ['closing', 'recalculated'] }) basis!: string;
  @ApiProperty({ type: String, nullable: true }) recalculationId!: string | null;
}

export class CitedScoreEventView {
  @ApiProperty() streamId!: string;
  @ApiProperty({ description: 'What ?scoreEvent= of the explanation takes' }) version!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ type: String, nullable: true, description: "The event's link in the stream's hash chain, hex" }) hash!: string | null;
  @ApiProperty({ enum: ['ScoreCalculated', 'ScoreRecalculated'] }) type!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class TrendPointView {
  @ApiProperty() assessmentId!: string;
  @ApiProperty({ example: '2026' }) period!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ enum: ['native', 'recalculated', 'mapped'], description: 'native: scored on the series version; recalculated: rescored on it from the answers; mapped: the standing score carried through the crosswalks' })
  comparability!: string;
  @ApiProperty({ description: 'The model version the assessment was answered on' }) nativeModelVersion!: string;
  @ApiProperty({ type: ScoredOnView }) scoredOn!: ScoredOnView;
  @ApiProperty({ type: CitedScoreEventView }) scoreEvent!: CitedScoreEventView;
  @ApiProperty({ example: 'assessments/0194…/scores/explain?scoreEvent=42', description: "The explanation of this score, relative to the API's base" }) explain!: string;
  @ApiProperty({ type: ScoreFigureView }) overall!: ScoreFigureView;
  @ApiProperty({ type: [TrendFactorView] }) factors!: TrendFactorView[];
  @ApiProperty({ type: ChangeSincePreviousView, nullable: true, description: 'null for the first point of a line' }) changeSincePrevious!: ChangeSincePreviousView | null;
}

export class TrendSeriesView {
  @ApiProperty({ type: ScopeView }) scope!: ScopeView;
  @ApiProperty({ example: 'datagedreven-overheid' }) modelKey!: string;
  @ApiProperty({ example: '2027.1', description: "Every point is expressed on this version: the model's newest published one" }) modelVersion!: string;
  @ApiProperty({ type: [TrendPointView] }) points!: TrendPointView[];
}

export class TrendsView {
  @ApiProperty({ type: [TrendSeriesView] }) series!: TrendSeriesView[];
}

export class BenchmarkFigureView {
  @ApiPropertyOptional({ description: 'Factors only' }) factorId?: string;
  @ApiProperty({ enum: ['shown', 'suppressed'] }) status!: string;
  @ApiPropertyOptional({ description: 'Shown: distinct organisations counted' }) organisations?: number;
  @ApiPropertyOptional() p10?: number;
  @ApiPropertyOptional() p25?: number;
  @ApiPropertyOptional() p50?: number;
  @ApiPropertyOptional() p75?: number;
  @ApiPropertyOptional() p90?: number;
  @ApiPropertyOptional({ enum: ['fewer-than-k', 'differencing'], description: 'Suppressed: why' }) reason?: string;
  @ApiPropertyOptional({ description: 'Suppressed: why, in words' }) explanation?: string;
}

export class BenchmarkGroupView {
  @ApiPropertyOptional() organisationType?: string;
  @ApiPropertyOptional() sizeBand?: string;
}

export class BenchmarkCellView {
  @ApiProperty({ type: BenchmarkGroupView, description: 'Empty for everyone' }) group!: BenchmarkGroupView;
  @ApiProperty({ type: BenchmarkFigureView }) overall!: BenchmarkFigureView;
  @ApiProperty({ type: [BenchmarkFigureView] }) factors!: BenchmarkFigureView[];
}

const PERCENTILES =
  'Percentiles by linear interpolation between closest ranks (Hyndman-Fan type 7): h = (n − 1)·p, value = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋), rounded to 2 decimals. A figure is suppressed below minGroup distinct organisations, or when narrowing its group by the other grouping dimension leaves between 1 and minGroup − 1 organisations out (differencing).';

export class SuppressionView {
  @ApiProperty({ description: 'Cells whose overall figure is suppressed' }) cells!: number;
  @ApiProperty({ description: 'Figures (overall and per factor) suppressed, in all cells' }) figures!: number;
}

export class PublicationReferenceView {
  @ApiProperty({ description: '1 for the first publication of this model key, period and level; each republication adds one' }) edition!: number;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ example: 'benchmark-datagedreven-overheid@2026@organisation' }) streamId!: string;
  @ApiProperty({ type: 'integer', description: "The publication stream's version: the ETag, what If-Match on the next publication takes" }) version!: number;
  @ApiProperty({ format: 'uuid', description: 'The BenchmarkPublished event that froze the figures' }) eventId!: string;
  @ApiProperty({ description: "The event's link in its stream's hash chain, hex" }) hash!: string;
  @ApiProperty({ description: 'Score events the edition cites (ids and hashes are in the event; verify recomputes the figures from them)' }) scoreEventsCited!: number;
}

export class PublishedBenchmarkView extends PublicationReferenceView {
  @ApiProperty() modelKey!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ enum: ['organisation', 'unit'] }) level!: string;
  @ApiProperty() modelVersion!: string;
  @ApiProperty() minGroup!: number;
  @ApiProperty({ description: 'Organisations whose scores went in' }) organisations!: number;
}

export class CitedEventProblemView {
  @ApiProperty() streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() problem!: string;
}

export class FigureDifferenceView {
  @ApiProperty({ enum: ['organisationType', 'sizeBand', 'all'] }) groupBy!: string;
  @ApiProperty({ type: BenchmarkGroupView }) group!: BenchmarkGroupView;
  @ApiProperty({ example: 'overall', description: 'overall, or a factor id' }) figure!: string;
  @ApiProperty({ type: BenchmarkFigureView, nullable: true }) frozen!: unknown;
  @ApiProperty({ type: BenchmarkFigureView, nullable: true }) recomputed!: unknown;
}

export class ChainBreakView {
  @ApiProperty() streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() problem!: string;
}

export class PublicationChainView {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: [ChainBreakView] }) breaks!: ChainBreakView[];
}

export class BenchmarkVerificationView {
  @ApiProperty() modelKey!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ enum: ['organisation', 'unit'] }) level!: string;
  @ApiProperty() edition!: number;
  @ApiProperty({ enum: ['verified', 'differences'] }) status!: string;
  @ApiProperty() scoreEventsChecked!: number;
  @ApiProperty({ type: [CitedEventProblemView], description: 'Cited score events that no longer hold, each named' }) problems!: CitedEventProblemView[];
  @ApiProperty({ type: [FigureDifferenceView], description: 'Figures recomputed from the cited events that differ from the frozen ones' }) differences!: FigureDifferenceView[];
  @ApiProperty({ type: PublicationChainView }) publicationChain!: PublicationChainView;
}

export class PublishBenchmarkDto {
  @ApiProperty({ example: 'datagedreven-overheid', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'modelKey must be a model key such as datagedreven-overheid' })
  modelKey!: string;

  @ApiPropertyOptional({ enum: ['organisation', 'unit'], description: 'Default organisation' }) @IsOptional() @IsIn(['organisation', 'unit']) level?: 'organisation' | 'unit';
}

export class BenchmarkView {
  @ApiProperty() modelKey!: string;
  @ApiProperty({ description: 'Scores are compared on this version (native, recalculated or mapped)' }) modelVersion!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ enum: ['organisationType', 'sizeBand', 'all'] }) groupBy!: string;
  @ApiProperty({ enum: ['organisation', 'unit'], description: 'unit: each organisation counts once, with the mean of its units' }) level!: string;
  @ApiProperty({ description: 'k: the fewest distinct organisations a figure is shown for (BENCHMARK_MIN_GROUP, never below 5)' }) minGroup!: number;
  @ApiProperty({ description: PERCENTILES }) percentileMethod!: string;
  @ApiProperty({ type: [BenchmarkCellView] }) cells!: BenchmarkCellView[];
  @ApiPropertyOptional({ type: SuppressionView, description: 'Platform administrators only: how many are suppressed' }) suppressed?: SuppressionView;
  @ApiPropertyOptional({ type: PublicationReferenceView, description: 'With ?published=: the edition served, as frozen when published' }) publication?: PublicationReferenceView;
}

export class OwnScoreView {
  @ApiProperty({ type: Number, nullable: true }) overall!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number', nullable: true }, example: { F01: 2.5 } }) factors!: Record<string, number | null>;
}

export class PositionGroupView {
  @ApiProperty({ enum: ['organisationType', 'sizeBand', 'all'] }) groupBy!: string;
  @ApiProperty({ type: BenchmarkCellView }) cell!: BenchmarkCellView;
  @ApiProperty({ type: Number, nullable: true, description: 'Mid-rank percentile of the own overall score in the group (below + half of equal, of all), when the group is shown' })
  overallPercentileRank!: number | null;
}

export class BenchmarkPositionView {
  @ApiProperty() organisationId!: string;
  @ApiProperty() modelKey!: string;
  @ApiProperty() modelVersion!: string;
  @ApiProperty() period!: string;
  @ApiProperty() minGroup!: number;
  @ApiProperty({ description: PERCENTILES }) percentileMethod!: string;
  @ApiProperty({ type: OwnScoreView }) own!: OwnScoreView;
  @ApiProperty({ type: [PositionGroupView] }) groups!: PositionGroupView[];
}

const MODEL_KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const PERIOD = /^\d{4}(-[A-Za-z0-9]{1,8})?$/;
const SCOPE_ID = /^[a-z0-9-]{1,64}$/;
const FACTOR = /^F\d{2}[a-z]?$/;
const EDITION = /^(latest|[1-9]\d{0,5})$/;
const LEVELS: BenchmarkLevel[] = ['organisation', 'unit'];

/**
 * The query DTOs below take each parameter once: a repeated one arrives as an array and fails its
 * check as any malformed value does (400 naming it); a parameter the route does not take is refused.
 */
export class TrendFilterQueryDto {
  @ApiPropertyOptional({ pattern: FACTOR.source, example: 'F03', description: 'Only this factor (unknown to the model: 422 naming factor)' })
  @IsOptional()
  @Matches(FACTOR, { message: 'factor must be a factor id such as F01 or F07a' })
  factor?: string;

  @ApiPropertyOptional({ pattern: MODEL_KEY.source, maxLength: 64, example: 'datagedreven-overheid', description: 'Only this model' })
  @IsOptional()
  @MaxLength(64)
  @Matches(MODEL_KEY, { message: 'modelKey must be a model key such as datagedreven-overheid' })
  modelKey?: string;

  @ApiPropertyOptional({ pattern: PERIOD.source, example: '2025', description: 'From this period on (e.g. 2025); after toPeriod: 400 naming fromPeriod' })
  @IsOptional()
  @Matches(PERIOD, { message: 'fromPeriod must be a period such as 2026 or 2026-Q3' })
  fromPeriod?: string;

  @ApiPropertyOptional({ pattern: PERIOD.source, example: '2027', description: 'Up to this period' })
  @IsOptional()
  @Matches(PERIOD, { message: 'toPeriod must be a period such as 2026 or 2026-Q3' })
  toPeriod?: string;
}

export class OrganisationTrendsQueryDto extends TrendFilterQueryDto {
  @ApiPropertyOptional({ pattern: SCOPE_ID.source, description: 'Only this unit' })
  @IsOptional()
  @Matches(SCOPE_ID, { message: 'unitId must be an id of 1 to 64 lowercase letters, digits or dashes' })
  unitId?: string;

  @ApiPropertyOptional({ pattern: SCOPE_ID.source, description: 'A chain the organisation takes part in, instead of its own lines' })
  @IsOptional()
  @Matches(SCOPE_ID, { message: 'chainId must be an id of 1 to 64 lowercase letters, digits or dashes' })
  chainId?: string;
}

/** The model a benchmark read is about (required). */
export class ModelKeyQueryDto {
  @ApiProperty({ pattern: MODEL_KEY.source, maxLength: 64, example: 'datagedreven-overheid' })
  @MaxLength(64)
  @Matches(MODEL_KEY, { message: 'modelKey is required: a model key such as datagedreven-overheid' })
  modelKey!: string;
}

export class BenchmarkPositionQueryDto extends ModelKeyQueryDto {
  @ApiProperty({ pattern: PERIOD.source, example: '2026' })
  @Matches(PERIOD, { message: 'period is required: a period such as 2026 or 2026-Q3' })
  period!: string;
}

export class BenchmarkQueryDto extends BenchmarkPositionQueryDto {
  @ApiPropertyOptional({ enum: [...BENCHMARK_GROUPINGS], description: 'Default all' })
  @IsOptional()
  @IsIn(BENCHMARK_GROUPINGS, { message: `groupBy must be one of ${BENCHMARK_GROUPINGS.join(', ')}` })
  groupBy?: BenchmarkGrouping;

  @ApiPropertyOptional({ enum: LEVELS, description: 'Default organisation; unit counts each organisation once (the mean of its units)' })
  @IsOptional()
  @IsIn(LEVELS, { message: 'level must be organisation or unit' })
  level?: BenchmarkLevel;

  @ApiPropertyOptional({ type: 'integer', minimum: MIN_GROUP_FLOOR, maximum: 9999, description: "A stricter k for this read (never below the platform's: 400 naming minGroup)" })
  @IsOptional()
  // Only up to four digits become a number (so `5.0` or `1e1` are refused, not read as 5 and 10);
  // anything else stays text, which @Min refuses as it refuses a number below the floor.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @Min(MIN_GROUP_FLOOR, { message: `minGroup must be a whole number of at least ${MIN_GROUP_FLOOR} (and never below the platform's k)` })
  minGroup?: number;

  @ApiPropertyOptional({ pattern: EDITION.source, example: 'latest', description: 'latest, or an edition number: the figures frozen when that edition was published, instead of the live ones' })
  @IsOptional()
  @Matches(EDITION, { message: 'published must be latest or an edition number' })
  published?: string;
}

export class VerifyBenchmarkQueryDto extends ModelKeyQueryDto {
  @ApiPropertyOptional({ enum: LEVELS, description: 'Default organisation' })
  @IsOptional()
  @IsIn(LEVELS, { message: 'level must be organisation or unit' })
  level?: BenchmarkLevel;

  @ApiPropertyOptional({ pattern: EDITION.source, example: 'latest', description: 'latest (the default) or an edition number' })
  @IsOptional()
  @Matches(EDITION, { message: 'edition must be latest or an edition number' })
  edition?: string;
}
