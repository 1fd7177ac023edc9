import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ENTITY_ID } from '@maatlat/shared/domain';
import { ANY_JSON_VALUE, type AsJson } from '@maatlat/shared/nest';
import type { LayerId, ModelDocument } from '@maatlat/model-catalogue/domain';
import type {
  AnswerValue,
  Derived,
  FactorExplanation,
  FactorScore,
  PinnedModel,
  QuestionLayerScore,
  RaisedRisk,
  RecalculationCause,
  ScoreDifference,
  ScoreResult,
  ScoringAnswer,
  ScoreEventReference,
  Term,
} from '@maatlat/assessments/domain';
import type { AssessmentSummary } from './assessments.context';
import type { Assessments, Recalculations } from './assessments.service';

const ID = { pattern: ENTITY_ID.source, example: '0192c6c4-5d1e-7a4e-9b0a-3f1e2d3c4b5a' } as const;
const PSEUDONYM = { pattern: '^r-[0-9a-f]{16}$', example: 'r-3f9a1c0b7d2e4a56' } as const;
const LAYER = { enum: ['strategic', 'tactical', 'operational'], enumName: 'Layer' } as const;
const QUESTION_ID = { example: 'F03-Q1' } as const;
const FACTOR_ID = { example: 'F03' } as const;
const SHA256 = { pattern: '^[0-9a-f]{64}$' } as const;
const NULLABLE_NUMBER = { type: Number, nullable: true } as const;
const NULLABLE_STAGE = { type: 'integer', nullable: true, minimum: 0, maximum: 5 } as const;
const INTEGER = { type: 'integer', minimum: 0 } as const;

type Explanation = Awaited<ReturnType<Assessments['explain']>>;
type Verification = Awaited<ReturnType<Assessments['verify']>>;
type RecalculationProgress = Awaited<ReturnType<Recalculations['progress']>>;

@ApiSchema({ name: 'PinnedModel', description: 'The model version an assessment is pinned to for its life.' })
export class PinnedModelView implements AsJson<PinnedModel> {
  @ApiProperty({ example: 'datagedreven-overheid' }) key!: string;
  @ApiProperty({ example: '2026.1' }) version!: string;
  @ApiProperty({ ...SHA256, description: 'SHA-256 of the canonical model document.' }) contentHash!: string;
}

@ApiSchema({ name: 'Invitee' })
export class InviteeView implements AsJson<AssessmentSummary['invitees'][number]> {
  @ApiProperty(PSEUDONYM) respondentId!: string;
  @ApiProperty(LAYER) layer!: LayerId;
  @ApiProperty({ description: 'Whether the respondent submitted their response (no answers after that).' }) submitted!: boolean;
}

@ApiSchema({ name: 'AssessmentSummary', description: 'An assessment after a change; `version` is its ETag. No personal data.' })
export class AssessmentSummaryView implements AsJson<AssessmentSummary> {
  @ApiProperty(ID) assessmentId!: string;
  @ApiProperty(ID) organisationId!: string;
  @ApiProperty({ enum: ['open', 'closed'], enumName: 'AssessmentStatus' }) status!: 'open' | 'closed';
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The stream version: send it back as If-Match.' }) version!: number;
  @ApiProperty({ type: PinnedModelView }) model!: PinnedModelView;
  @ApiProperty({ ...LAYER, isArray: true }) layers!: LayerId[];
  @ApiProperty({ type: [InviteeView] }) invitees!: InviteeView[];
  @ApiProperty({ ...INTEGER, description: 'Questions answered, counted once per respondent and question.' }) answers!: number;
}

@ApiSchema({ name: 'AnswerSource', description: 'The answer event a number comes from: its place and hash in the chain.' })
export class AnswerSourceView implements AsJson<ScoringAnswer['source']> {
  @ApiProperty({ required: false, description: "The respondent's response stream the answer event is in; absent for answers recorded in the assessment's own stream (before response streams)", example: 'response-0190a1b2-…:r-0123456789abcdef' })
  streamId?: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Its version in that stream' }) streamVersion!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty(SHA256) hash!: string;
}

@ApiSchema({ name: 'QuestionLayerScore' })
export class QuestionLayerScoreView implements AsJson<QuestionLayerScore> {
  @ApiProperty(QUESTION_ID) questionId!: string;
  @ApiProperty(LAYER) layer!: LayerId;
  @ApiProperty({ ...NULLABLE_NUMBER, description: 'Mean level of the answers that give one; null when none does.' }) mean!: number | null;
  @ApiProperty(INTEGER) answered!: number;
  @ApiProperty(INTEGER) dontKnow!: number;
  @ApiProperty({ ...NULLABLE_NUMBER, minimum: 0, maximum: 1, description: 'answered / (answered + dontKnow); null without answers.' }) coverage!: number | null;
  @ApiProperty({ type: [AnswerSourceView] }) sources!: AnswerSourceView[];
}

@ApiSchema({ name: 'Term' })
export class TermView implements AsJson<Term> {
  @ApiProperty() id!: string;
  @ApiProperty() weight!: number;
  @ApiProperty() value!: number;
}

@ApiSchema({ name: 'Derived', description: 'A number with the terms that went in and the formula that combined them.' })
export class DerivedView implements AsJson<Derived> {
  @ApiProperty() value!: number;
  @ApiProperty({ example: 'weighted mean' }) formula!: string;
  @ApiProperty({ type: [TermView] }) terms!: TermView[];
}

@ApiSchema({ name: 'LayerScores', description: "A factor's score per layer that was answered." })
export class LayerScoresView implements AsJson<Partial<Record<LayerId, Derived>>> {
  @ApiPropertyOptional({ type: DerivedView }) strategic?: DerivedView;
  @ApiPropertyOptional({ type: DerivedView }) tactical?: DerivedView;
  @ApiPropertyOptional({ type: DerivedView }) operational?: DerivedView;
}

@ApiSchema({ name: 'FactorScore' })
export class FactorScoreView implements AsJson<FactorScore> {
  @ApiProperty(FACTOR_ID) factorId!: string;
  @ApiProperty(NULLABLE_NUMBER) score!: number | null;
  @ApiProperty(NULLABLE_STAGE) stage!: number | null;
  @ApiProperty({ ...NULLABLE_NUMBER, description: 'Highest minus lowest layer score: disagreement between layers is a finding too.' }) spread!: number | null;
  @ApiProperty({ type: LayerScoresView }) byLayer!: LayerScoresView;
  @ApiProperty({ type: DerivedView, nullable: true }) derivation!: DerivedView | null;
}

@ApiSchema({ name: 'OverallScore' })
export class OverallScoreView implements AsJson<ScoreResult['overall']> {
  @ApiProperty(NULLABLE_NUMBER) score!: number | null;
  @ApiProperty(NULLABLE_STAGE) stage!: number | null;
  @ApiProperty({ type: DerivedView, nullable: true }) derivation!: DerivedView | null;
}

@ApiSchema({ name: 'RiskMessage', description: 'What a raised risk means, in Dutch and English.' })
export class RiskMessageView implements AsJson<RaisedRisk['message']> {
  @ApiProperty() nl!: string;
  @ApiProperty() en!: string;
}

@ApiSchema({ name: 'RaisedRisk', description: "A risk rule of the model that the scores set off." })
export class RaisedRiskView implements AsJson<RaisedRisk> {
  @ApiProperty({ example: 'R01' }) ruleId!: string;
  @ApiProperty({ enum: ['low', 'medium', 'high'], enumName: 'RiskSeverity' }) severity!: 'low' | 'medium' | 'high';
  @ApiProperty({ type: RiskMessageView }) message!: RiskMessageView;
}

@ApiSchema({ name: 'Score', description: 'A calculated score: per question and layer, per factor, overall, with strengths, attention points and risks.' })
export class ScoreView implements AsJson<ScoreResult> {
  @ApiProperty({ example: 'maatlat-scoring/v1' }) algorithm!: string;
  @ApiProperty({ type: PinnedModelView }) model!: PinnedModelView;
  @ApiProperty({ type: [QuestionLayerScoreView] }) questions!: QuestionLayerScoreView[];
  @ApiProperty({ type: [FactorScoreView] }) factors!: FactorScoreView[];
  @ApiProperty({ type: OverallScoreView }) overall!: OverallScoreView;
  @ApiProperty({ type: [String], description: 'The three highest factors.' }) strengths!: string[];
  @ApiProperty({ type: [String], description: 'The three lowest factors.' }) attentionPoints!: string[];
  @ApiProperty({ type: [RaisedRiskView] }) risks!: RaisedRiskView[];
}

@ApiSchema({ name: 'ScoreEventReference', description: 'A recorded score event: its place, id and link in the hash chain.' })
export class ScoreEventReferenceView implements AsJson<ScoreEventReference> {
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty(SHA256) hash!: string;
  @ApiProperty({ enum: ['ScoreCalculated', 'ScoreRecalculated'] }) type!: ScoreEventReference['type'];
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

@ApiSchema({ name: 'CountedAnswer', description: 'An answer that counted (then): its value, respondent, layer and the event it comes from.' })
export class CountedAnswerView implements AsJson<Awaited<ReturnType<Assessments['get']>>['countedAnswers'][number]> {
  @ApiProperty(QUESTION_ID) questionId!: string;
  @ApiProperty(LAYER) layer!: LayerId;
  @ApiProperty(PSEUDONYM) respondentId!: string;
  @ApiProperty({ oneOf: [{ $ref: '#/components/schemas/LevelAnswer' }, { $ref: '#/components/schemas/DontKnowAnswer' }] }) answer!: AnswerValue;
  @ApiProperty({ type: AnswerSourceView }) source!: AnswerSourceView;
}

@ApiSchema({ name: 'Assessment', description: 'An assessment and its latest score, now or as they stood at `asOf`; `version` is its ETag.' })
export class AssessmentView extends AssessmentSummaryView implements AsJson<Awaited<ReturnType<Assessments['get']>>> {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The moment asked for; null for now.' }) asOf!: string | null;
  @ApiProperty({ type: ScoreView, nullable: true, description: 'Null until the assessment is closed.' }) score!: ScoreView | null;
  @ApiProperty({ type: ScoreEventReferenceView, nullable: true, description: 'The event of the score that stood (then).' }) scoreEvent!: ScoreEventReferenceView | null;
  @ApiProperty({ type: [CountedAnswerView], description: "Each respondent's latest answer per question (then)." }) countedAnswers!: CountedAnswerView[];
}

@ApiSchema({ name: 'ClosedAssessment', description: 'The closed assessment with the score calculated in the same step.' })
export class ClosedAssessmentView extends AssessmentSummaryView implements AsJson<Awaited<ReturnType<Assessments['close']>>> {
  @ApiProperty({ type: ScoreView }) score!: ScoreView;
}

@ApiSchema({ name: 'LevelAnswer', description: 'A maturity level from 0 to 5.' })
export class LevelAnswerView {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 5 }) level!: number;
}

@ApiSchema({ name: 'DontKnowAnswer', description: '"Don\'t know".' })
export class DontKnowAnswerView {
  @ApiProperty({ enum: [true] }) dontKnow!: true;
}

const ANSWER = { oneOf: [{ $ref: getSchemaPath(LevelAnswerView) }, { $ref: getSchemaPath(DontKnowAnswerView) }] };

@ApiSchema({ name: 'RecordedAnswer', description: "The answer as recorded; `version` is the respondent's response stream version, `revision` the answer's ETag." })
@ApiExtraModels(LevelAnswerView, DontKnowAnswerView)
export class RecordedAnswerView implements AsJson<Awaited<ReturnType<Assessments['recordAnswer']>>> {
  @ApiProperty(ID) assessmentId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty(QUESTION_ID) questionId!: string;
  @ApiProperty(ANSWER) answer!: AnswerValue;
  @ApiProperty({ type: 'integer', minimum: 1, description: "The answer's revision (how many times it was given): its ETag, to send back as If-Match." }) revision!: number;
}

@ApiSchema({ name: 'OwnAnswer', description: "One of the caller's own answers; `revision` is what to send as If-Match on the next change." })
export class OwnAnswerView implements AsJson<Awaited<ReturnType<Assessments['ownResponse']>>['answers'][number]> {
  @ApiProperty(QUESTION_ID) questionId!: string;
  @ApiProperty(ANSWER) answer!: AnswerValue;
  @ApiProperty({ type: 'integer', minimum: 1 }) revision!: number;
}

@ApiSchema({ name: 'OwnResponse', description: "The caller's own response to an assessment: the model version, their layer, their answers. No one else's." })
export class OwnResponseView implements AsJson<Awaited<ReturnType<Assessments['ownResponse']>>> {
  @ApiProperty(ID) assessmentId!: string;
  @ApiProperty({ enum: ['open', 'closed'], enumName: 'AssessmentStatus' }) status!: 'open' | 'closed';
  @ApiProperty({ type: PinnedModelView }) model!: PinnedModelView;
  @ApiProperty({ allOf: [{ $ref: getSchemaPath('ModelDocument') }], description: 'The model version document: the questions, their rubrics, the stages and layers.' }) document!: ModelDocument;
  @ApiProperty(LAYER) layer!: LayerId;
  @ApiProperty({ description: 'Whether the caller submitted their response (no answers after that).' }) submitted!: boolean;
  @ApiProperty({ type: [OwnAnswerView] }) answers!: OwnAnswerView[];
}

@ApiSchema({ name: 'CitedAnswer', description: 'An answer event a score cites, with the answer it records.' })
export class CitedAnswerView extends AnswerSourceView {
  @ApiProperty(ANSWER) answer!: AnswerValue;
}

@ApiSchema({ name: 'QuestionExplanation' })
export class QuestionExplanationView implements AsJson<FactorExplanation['layers'][number]['questions'][number]> {
  @ApiProperty(QUESTION_ID) questionId!: string;
  @ApiProperty() weight!: number;
  @ApiProperty(NULLABLE_NUMBER) mean!: number | null;
  @ApiProperty(INTEGER) answered!: number;
  @ApiProperty(INTEGER) dontKnow!: number;
  @ApiProperty({ ...NULLABLE_NUMBER, minimum: 0, maximum: 1 }) coverage!: number | null;
  @ApiProperty({ example: '(4 + 3) / 2 = 3.5', description: 'The mean, from the levels of the answers cited.' }) arithmetic!: string;
  @ApiProperty({ type: [CitedAnswerView], description: 'The answer events that went in.' }) answers!: CitedAnswerView[];
}

@ApiSchema({ name: 'LayerExplanation' })
export class LayerExplanationView implements AsJson<FactorExplanation['layers'][number]> {
  @ApiProperty(LAYER) layer!: string;
  @ApiProperty() score!: number;
  @ApiProperty({ example: '(1 × 4 + 1 × 3) / 2 = 3.5' }) arithmetic!: string;
  @ApiProperty({ type: [QuestionExplanationView] }) questions!: QuestionExplanationView[];
}

@ApiSchema({ name: 'FactorExplanation' })
export class FactorExplanationView implements AsJson<FactorExplanation> {
  @ApiProperty(FACTOR_ID) factorId!: string;
  @ApiProperty(NULLABLE_NUMBER) score!: number | null;
  @ApiProperty(NULLABLE_STAGE) stage!: number | null;
  @ApiProperty(NULLABLE_NUMBER) spread!: number | null;
  @ApiProperty({ example: '(2 × 7/2 + 1 × 2) / 3 = 3', description: "The arithmetic as an auditor writes it down, exact, then the rounding; or 'no answers'." }) arithmetic!: string;
  @ApiProperty({ example: '7/2 − 2 = 1.5', description: 'The spread between the layers, as arithmetic.' }) spreadArithmetic!: string;
  @ApiProperty({ type: [LayerExplanationView] }) layers!: LayerExplanationView[];
}

@ApiSchema({ name: 'FactorScoreExplanation', description: 'How one factor\'s score was reached (?factor=F03), down to the answer events.' })
export class FactorScoreExplanationView extends FactorExplanationView implements AsJson<Extract<Explanation, { factorId: string }>> {
  @ApiProperty(ID) assessmentId!: string;
  @ApiPropertyOptional({ type: ScoreEventReferenceView, description: 'The score event explained.' }) scoreEvent?: ScoreEventReferenceView;
  @ApiProperty({ example: 'rounded half away from zero to 2 decimals' }) rounding!: string;

  @ApiProperty({ example: 'maatlat-scoring/v1' }) algorithm!: string;
  @ApiProperty({ type: PinnedModelView }) model!: PinnedModelView;
}

@ApiSchema({ name: 'ScoreExplanation', description: 'How the overall score was reached, through every factor down to the answer events.' })
export class ScoreExplanationView implements AsJson<Extract<Explanation, { factors: unknown }>> {
  @ApiProperty(ID) assessmentId!: string;
  @ApiPropertyOptional({ type: ScoreEventReferenceView, description: 'The score event explained.' }) scoreEvent?: ScoreEventReferenceView;
  @ApiProperty({ example: 'rounded half away from zero to 2 decimals' }) rounding!: string;

  @ApiProperty({ example: 'maatlat-scoring/v1' }) algorithm!: string;
  @ApiProperty({ type: PinnedModelView }) model!: PinnedModelView;
  @ApiProperty(NULLABLE_NUMBER) overall!: number | null;
  @ApiProperty(NULLABLE_STAGE) stage!: number | null;
  @ApiProperty() arithmetic!: string;
  @ApiProperty({ type: [FactorExplanationView] }) factors!: FactorExplanationView[];
}

@ApiSchema({ name: 'ScoreDifference', description: 'Where a recorded score and its replay differ.' })
export class ScoreDifferenceView implements AsJson<ScoreDifference & { scoreEvent: number }> {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version of the score event.' }) scoreEvent!: number;
  @ApiProperty({ example: '$.factors[3].score', description: 'A JSON path into the score.' }) path!: string;
  @ApiProperty(ANY_JSON_VALUE) recorded!: unknown;
  @ApiProperty(ANY_JSON_VALUE) replayed!: unknown;
}

@ApiSchema({ name: 'ChainBreak', description: 'The first link of a stream\'s hash chain that does not hold.' })
export class ChainBreakView implements AsJson<Verification['hashChain']['breaks'][number]> {
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty() problem!: string;
}

@ApiSchema({ name: 'HashChainReport' })
export class HashChainReportView implements AsJson<Verification['hashChain']> {
  @ApiProperty() ok!: boolean;
  @ApiProperty(INTEGER) streamsChecked!: number;
  @ApiProperty(INTEGER) eventsChecked!: number;
  @ApiProperty({ type: [ChainBreakView] }) breaks!: ChainBreakView[];
}

@ApiSchema({ name: 'Verification', description: 'Every recorded score replayed with its own algorithm and model version, and the hash chain walked.' })
export class VerificationView implements AsJson<Verification> {
  @ApiProperty(ID) assessmentId!: string;
  @ApiPropertyOptional({ type: ScoreEventReferenceView, description: 'The one score event verified, when ?scoreEvent= selected one.' }) scoreEvent?: ScoreEventReferenceView;
  @ApiProperty({ enum: ['verified', 'differences'] }) status!: 'verified' | 'differences';
  @ApiProperty(INTEGER) scoresChecked!: number;
  @ApiProperty({ type: [ScoreDifferenceView] }) differences!: ScoreDifferenceView[];
  @ApiProperty({ type: HashChainReportView }) hashChain!: HashChainReportView;
}

@ApiSchema({ name: 'ModelPublishedCause', description: 'A model version was published with a crosswalk from the one before.' })
export class ModelPublishedCauseView implements AsJson<Extract<RecalculationCause, { kind: 'model-published' }>> {
  @ApiProperty({ enum: ['model-published'] }) kind!: 'model-published';
  @ApiProperty({ format: 'uuid' }) publishedEventId!: string;
  @ApiProperty({ example: 'datagedreven-overheid@2026.1' }) from!: string;
  @ApiProperty({ example: 'datagedreven-overheid@2027.1' }) to!: string;
  @ApiProperty({ type: String, nullable: true, ...SHA256 }) crosswalkHash!: string | null;
}

@ApiSchema({ name: 'AlgorithmUpgradeCause', description: 'The closed assessments of a model version are rescored with another scoring algorithm.' })
export class AlgorithmUpgradeCauseView implements AsJson<Extract<RecalculationCause, { kind: 'algorithm-upgrade' }>> {
  @ApiProperty({ enum: ['algorithm-upgrade'] }) kind!: 'algorithm-upgrade';
  @ApiProperty({ example: 'maatlat-scoring/v1' }) algorithm!: string;
}

@ApiSchema({ name: 'ModelVersionRef' })
export class ModelVersionRefView implements AsJson<RecalculationProgress['target']> {
  @ApiProperty({ example: 'datagedreven-overheid' }) key!: string;
  @ApiProperty({ example: '2027.1' }) version!: string;
}

@ApiSchema({ name: 'RecalculationFailure', description: 'An assessment that could not be rescored after every try.' })
export class RecalculationFailureView implements AsJson<RecalculationProgress['failures'][number]> {
  @ApiProperty(ID) assessmentId!: string;
  @ApiProperty() reason!: string;
}

@ApiSchema({ name: 'Recalculation', description: 'A recalculation and its progress.' })
@ApiExtraModels(ModelPublishedCauseView, AlgorithmUpgradeCauseView)
export class RecalculationView implements AsJson<RecalculationProgress> {
  @ApiProperty({ format: 'uuid' }) recalculationId!: string;
  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(ModelPublishedCauseView) }, { $ref: getSchemaPath(AlgorithmUpgradeCauseView) }],
    discriminator: { propertyName: 'kind', mapping: { 'model-published': getSchemaPath(ModelPublishedCauseView), 'algorithm-upgrade': getSchemaPath(AlgorithmUpgradeCauseView) } },
  })
  cause!: RecalculationCause;
  @ApiProperty({ type: ModelVersionRefView, description: 'The model version it rescores to.' }) target!: ModelVersionRefView;
  @ApiProperty({ ...INTEGER, description: 'Assessments to rescore.' }) total!: number;
  @ApiProperty({ ...INTEGER, description: 'Assessments rescored.' }) done!: number;
  @ApiProperty({ ...INTEGER, description: 'Assessments that could not be rescored.' }) failed!: number;
  @ApiProperty({ type: [RecalculationFailureView] }) failures!: RecalculationFailureView[];
}

export class AnswerValueView {
  @ApiPropertyOptional({ minimum: 0, maximum: 5 }) level?: number;
  @ApiPropertyOptional({ description: "true for \"don't know\"" }) dontKnow?: true;
}

/**
 * A score event's overall figures as the audit trail and the score-event list show them (no
 * derivation). Its schema keeps the name it has always had in the OpenAPI document.
 */
@ApiSchema({ name: 'OverallScoreView' })
export class ScoreEventOverallView {
  @ApiProperty({ type: Number, nullable: true, example: 2.67 }) score!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 2 }) stage!: number | null;
}

export class TimelineEventView {
  @ApiProperty({
    description: "The stream the event is in: the assessment's own (opening, invitations, closing, scores), or a respondent's response stream (their answers and submission); each has a hash chain of its own",
    example: 'assessment-0190a1b2-…',
  })
  streamId!: string;
  @ApiProperty({ description: 'Place in its stream (in the assessment stream: the ETag of the assessment after this event)', example: 7 }) version!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ description: "This event's link in the stream's hash chain (hex SHA-256)" }) hash!: string;
  @ApiProperty({ description: 'The link before it (for version 1: sha256("maatlat:" + stream id)), hex' }) previousHash!: string;
  @ApiProperty({ description: 'sha256 of the canonical JSON of eventId, type, schemaVersion, data and metadata, hex; hash = sha256(previousHash ‖ contentHash ‖ int64be(version) ‖ int64be(recordedAt ms))' })
  contentHash!: string;
  @ApiProperty({ description: 'Place in the global log' }) position!: number;
  @ApiProperty({ example: 'AnswerRecorded' }) type!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'Who: a pseudonymous subject (respondents by pseudonym)' }) actor!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty() correlationId!: string;
  @ApiPropertyOptional({ description: 'Answer events only' }) questionId?: string;
  @ApiPropertyOptional({ type: AnswerValueView, description: 'Answer events only' }) answer?: AnswerValueView;
  @ApiPropertyOptional({ type: ScoreEventOverallView, description: 'Score events only' }) overall?: ScoreEventOverallView;
}

export class ScoredModelView {
  @ApiProperty({ example: 'datagedreven-overheid' }) key!: string;
  @ApiProperty({ example: '2026.1' }) version!: string;
  @ApiProperty() contentHash!: string;
}

export class ResponseCutView {
  @ApiProperty({ example: 'response-0190a1b2-…:r-0123456789abcdef' }) streamId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty({ description: "That event's link in the stream's hash chain, hex" }) hash!: string;
}

export class ScoreEventView {
  @ApiProperty({ description: 'Stream version: what ?scoreEvent= takes, as does the event id', example: 42 }) version!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ description: "The event's link in the hash chain, hex" }) hash!: string;
  @ApiProperty({ enum: ['ScoreCalculated', 'ScoreRecalculated'] }) type!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ example: 'maatlat-scoring/v1' }) algorithm!: string;
  @ApiProperty({ type: ScoredModelView }) model!: ScoredModelView;
  @ApiProperty({ description: "The assessment stream's version the score read (its invitations, and the answers of assessments answered before response streams)" })
  answersUpToVersion!: number;
  @ApiProperty({
    type: [ResponseCutView],
    nullable: true,
    description: 'Each response stream the score read, at its version and the hash of that event: exactly the answers it counts. Null on scores of assessments answered before response streams.',
  })
  responses!: ResponseCutView[] | null;
  @ApiProperty({ type: String, nullable: true, description: 'Recalculations only' }) recalculationId!: string | null;
  @ApiProperty({
    description: 'Why the score was recorded: { kind: "assessment-closed" }, or a recalculation\'s cause: { kind: "model-published", publishedEventId, from, to, crosswalkHash } or { kind: "algorithm-upgrade", algorithm }',
    type: 'object',
    additionalProperties: true,
    example: { kind: 'model-published', publishedEventId: '0194…', from: 'datagedreven-overheid@2026.1', to: 'datagedreven-overheid@2027.1', crosswalkHash: '…' },
  })
  cause!: Record<string, unknown>;
  @ApiProperty({ type: ScoreEventOverallView }) overall!: ScoreEventOverallView;
}

/** The model version an assessment of an organisation's list is pinned to; its schema keeps the name it has always had. */
@ApiSchema({ name: 'ModelVersionRefView' })
export class OrganisationAssessmentModelView {
  @ApiProperty({ example: 'datagedreven-overheid' }) key!: string;
  @ApiProperty({ example: '2026.1' }) version!: string;
}

export class LatestScoreView {
  @ApiProperty({ description: 'Stream version of the score event' }) version!: number;
  @ApiProperty({ enum: ['ScoreCalculated', 'ScoreRecalculated'] }) type!: string;
  @ApiProperty({ description: 'The model version scored against (a recalculation may have moved it on)', example: '2027.1' }) modelVersion!: string;
  @ApiProperty({ type: Number, nullable: true, example: 2.67 }) overall!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 2 }) stage!: number | null;
}

export class OrganisationAssessmentView {
  @ApiProperty() assessmentId!: string;
  @ApiProperty() organisationId!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiProperty({ enum: ['organisation', 'unit', 'chain'] }) scopeKind!: string;
  @ApiProperty({ example: '2026' }) period!: string;
  @ApiProperty({ type: OrganisationAssessmentModelView }) model!: OrganisationAssessmentModelView;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: LatestScoreView, nullable: true, description: 'Closed assessments only' }) latestScore!: LatestScoreView | null;
}
