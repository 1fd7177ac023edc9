import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Response views of the audit-trail routes, for the OpenAPI document (responses are plain objects of these shapes). */

export class AnswerValueView {
  @ApiPropertyOptional({ minimum: 0, maximum: 5 }) level?: number;
  @ApiPropertyOptional({ description: "true for \"don't know\"" }) dontKnow?: true;
}

export class OverallScoreView {
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
  @ApiPropertyOptional({ type: OverallScoreView, description: 'Score events only' }) overall?: OverallScoreView;
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
  @ApiProperty({ type: OverallScoreView }) overall!: OverallScoreView;
}

export class ModelVersionRefView {
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
  @ApiProperty({ type: ModelVersionRefView }) model!: ModelVersionRefView;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: LatestScoreView, nullable: true, description: 'Closed assessments only' }) latestScore!: LatestScoreView | null;
}
