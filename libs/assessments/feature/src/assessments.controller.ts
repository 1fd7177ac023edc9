import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertActsFor, CommandMeta, CurrentPrincipal, InvitationHeld, InvitationHeldByWrite, Roles, type InvitationHold, type Principal } from '@maatlat/access';
import { ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { parseScoreEventSelector, type ScoreEventSelector } from '@maatlat/assessments/domain';
import { ApiIfMatch, ApiProblems, ApiResult, IfMatch } from '@maatlat/shared/nest';
import { Assessments } from './assessments.service';
import { AssessmentAccessGuard } from './assessment-access.guard';
import { AnswerDto, InviteDto, OpenAssessmentDto } from './assessment.dtos';
import {
  AssessmentSummaryView,
  AssessmentView,
  ClosedAssessmentView,
  FactorScoreExplanationView,
  OwnResponseView,
  RecordedAnswerView,
  ScoreEventView,
  ScoreExplanationView,
  ScoreView,
  TimelineEventView,
  VerificationView,
} from './assessment.views';

/** `?scoreEvent=`: a score event's stream version or event id; absent, the latest score. */
const selectedScoreEvent = (raw: string | undefined): ScoreEventSelector | undefined => (raw === undefined ? undefined : parseScoreEventSelector(raw));

const ApiScoreEventQuery = () =>
  ApiQuery({ name: 'scoreEvent', required: false, description: 'A recorded score by its stream version or event id (see /score-events); the latest when absent. Unknown: 404; malformed: 400' });

/**
 * Assessments. Every route about one assessment passes AssessmentAccessGuard first (its
 * organisation must be the caller's); respondents reach only the assessment of their invitation.
 */
@ApiTags('assessments')
@ApiBearerAuth()
@UseGuards(AssessmentAccessGuard)
@Controller('assessments')
export class AssessmentsController {
  constructor(private readonly assessments: Assessments) {}

  @Post()
  @Roles('platform-admin', 'coordinator')
  @ApiOperation({ summary: 'Open an assessment on a published model version (pinned for its life)' })
  @ApiResult(201, 'The assessment; its version is the ETag.', AssessmentSummaryView)
  @ApiProblems({ 403: 'The caller does not act for the organisation, or the organisation takes no part in the chain.', 404: 'The organisation, unit, chain or model version does not exist.', 422: 'The model version is not published.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key appends nothing twice' })
  open(@Body() dto: OpenAssessmentDto, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata) {
    assertActsFor(principal, dto.organisationId);
    const scope =
      dto.scope.kind === 'unit'
        ? { kind: 'unit' as const, organisationId: dto.organisationId, unitId: dto.scope.unitId! }
        : dto.scope.kind === 'chain'
          ? { kind: 'chain' as const, chainId: dto.scope.chainId! }
          : { kind: 'organisation' as const, organisationId: dto.organisationId };
    return this.assessments.open({ organisationId: dto.organisationId, scope, period: dto.period, model: dto.model, layers: dto.layers }, meta);
  }

  @Get(':assessmentId')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({
    summary: 'The assessment now, or as it stood at ?asOf=<ISO time>: the summary, the answers that counted then (value, respondent, layer and source event) and the score that stood then with its event; its version is the ETag',
  })
  @ApiQuery({ name: 'asOf', required: false, description: 'An ISO 8601 time: the assessment as it stood then.', schema: { type: 'string', format: 'date-time', example: '2026-06-01T12:00:00Z' } })
  @ApiResult(200, 'The assessment and its score (then).', AssessmentView)
  async get(@Param('assessmentId') assessmentId: string, @Query('asOf') asOf?: string) {
    let moment: Date | undefined;
    if (asOf !== undefined) {
      moment = new Date(asOf);
      // JavaScript dates reach 271,821 years either way; PostgreSQL's timestamps do not.
      const year = moment.getUTCFullYear();
      if (Number.isNaN(moment.getTime()) || year < 1 || year > 9999) {
        throw new ValidationFailed([{ field: 'asOf', problem: 'must be an ISO 8601 time from the years 1 to 9999, e.g. 2026-06-01T12:00:00Z' }]);
      }
    }
    return this.assessments.get(assessmentId, moment);
  }

  @Get(':assessmentId/my-response')
  @Roles('respondent')
  @ApiOperation({ summary: "Your own response: the model version and layer you answer for, whether it is submitted, and your latest answers with their revisions" })
  @ApiResult(200, 'Your response.', OwnResponseView)
  @ApiProblems({ 403: 'The caller is not invited to this assessment.' })
  async ownResponse(@Param('assessmentId') assessmentId: string, @CurrentPrincipal() principal: Principal) {
    return this.assessments.ownResponse(assessmentId, principal.subject);
  }

  @Post(':assessmentId/invitations')
  @Roles('platform-admin', 'coordinator')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Invite a respondent for a layer' })
  @ApiResult(201, 'The assessment with the new invitee.', AssessmentSummaryView)
  @ApiProblems({ 409: 'The assessment moved on since If-Match, or the respondent is invited already.', 422: 'The assessment is closed, or does not assess that layer.' })
  async invite(@Param('assessmentId') assessmentId: string, @Body() dto: InviteDto, @CommandMeta() meta: CommandMetadata, @IfMatch() version?: number) {
    return this.assessments.invite(assessmentId, dto.respondentId, dto.layer, meta, version);
  }

  @Put(':assessmentId/answers/:questionId')
  @Roles('respondent')
  // The invitation is checked on the respondent's stream as this process remembers it, and the
  // answer's append holds only while that stream is unchanged: one round trip for an answer.
  @InvitationHeldByWrite()
  @ApiIfMatch()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key appends nothing twice' })
  @ApiOperation({
    summary: 'Record or revise your answer to a question',
    description:
      "The answer's revision (how many times you answered the question) is its ETag; send it back as If-Match (0 before the first answer) and a change made elsewhere since is a 409 naming the current revision. Other respondents' answers never conflict with yours.",
  })
  @ApiResult(200, 'The answer as recorded; its revision is the ETag.', RecordedAnswerView)
  @ApiProblems({ 409: "The answer was changed elsewhere since the revision in If-Match (the body names the current one).", 422: 'The assessment is closed, or the caller is not invited or has submitted already.' })
  async answer(
    @Param('assessmentId') assessmentId: string,
    @Param('questionId') questionId: string,
    @Body() dto: AnswerDto,
    @CurrentPrincipal() principal: Principal,
    @CommandMeta() meta: CommandMetadata,
    @IfMatch() revision?: number,
    @InvitationHeld() invitation?: InvitationHold,
  ) {
    if (dto.level !== undefined && dto.dontKnow) throw new ValidationFailed([{ field: 'dontKnow', problem: 'give a level or dontKnow, not both' }]);
    const answer = dto.dontKnow ? { dontKnow: true as const } : { level: dto.level! };
    return this.assessments.recordAnswer(assessmentId, meta.actor, { questionId, answer, justification: dto.justification, evidence: dto.evidence }, meta, revision, principal.invitation?.layer, invitation);
  }

  @Post(':assessmentId/submit')
  @HttpCode(200)
  @Roles('respondent')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Submit your response; no answers after this' })
  @ApiResult(200, 'The assessment with the response submitted.', AssessmentSummaryView)
  @ApiProblems({ 422: 'The assessment is closed, or the caller is not invited or has submitted already.' })
  async submit(@Param('assessmentId') assessmentId: string, @CurrentPrincipal() principal: Principal, @CommandMeta() meta: CommandMetadata, @IfMatch() version?: number) {
    return this.assessments.submit(assessmentId, meta.actor, meta, version, principal.invitation?.layer);
  }

  @Post(':assessmentId/close')
  @HttpCode(200)
  @Roles('platform-admin', 'coordinator')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Close the assessment; its scores are calculated in the same step' })
  @ApiResult(200, 'The closed assessment and its score.', ClosedAssessmentView)
  @ApiProblems({ 422: 'The assessment is closed already.' })
  async close(@Param('assessmentId') assessmentId: string, @CommandMeta() meta: CommandMetadata, @IfMatch() version?: number) {
    return this.assessments.close(assessmentId, meta, version);
  }

  @Get(':assessmentId/scores')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: 'A recorded score: the latest, or the one ?scoreEvent= selects' })
  @ApiScoreEventQuery()
  @ApiResult(200, 'The score.', ScoreView)
  async scores(@Param('assessmentId') assessmentId: string, @Query('scoreEvent') scoreEvent?: string) {
    return this.assessments.scores(assessmentId, selectedScoreEvent(scoreEvent));
  }

  @Get(':assessmentId/score-events')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: 'Every recorded score (ScoreCalculated, ScoreRecalculated), oldest first: its event, algorithm, model version, cause and overall score' })
  @ApiResult(200, 'Every recorded score, oldest first.', [ScoreEventView])
  async scoreEvents(@Param('assessmentId') assessmentId: string) {
    return this.assessments.scoreEvents(assessmentId);
  }

  @Get(':assessmentId/scores/explain')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({
    summary:
      'How a score was reached, down to the answer events (?factor=F03, or the overall score; ?scoreEvent= for a score other than the latest). Every arithmetic line prints exact terms, the exact result and the rounding step apart',
  })
  @ApiScoreEventQuery()
  @ApiQuery({ name: 'factor', required: false, description: 'One factor instead of the overall score.', schema: { type: 'string', pattern: '^F\\d{2}[a-z]?$', example: 'F03' } })
  @ApiResult(200, 'The overall explanation, or that of the factor asked for.', { oneOf: [ScoreExplanationView, FactorScoreExplanationView] })
  async explain(@Param('assessmentId') assessmentId: string, @Query('factor') factor?: string, @Query('scoreEvent') scoreEvent?: string) {
    if (factor !== undefined && !/^F\d{2}[a-z]?$/.test(factor)) throw new ValidationFailed([{ field: 'factor', problem: 'must be a factor id such as F03' }]);
    return this.assessments.explain(assessmentId, factor, selectedScoreEvent(scoreEvent));
  }

  @Get(':assessmentId/events')
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: "The audit timeline: who (pseudonymous), what, when and why, with each event's id and links in the hash chain" })
  @ApiResult(200, 'Every event, oldest first.', [TimelineEventView])
  async events(@Param('assessmentId') assessmentId: string) {
    return this.assessments.timeline(assessmentId);
  }

  @Post(':assessmentId/verify')
  @HttpCode(200)
  @Roles('platform-admin', 'coordinator', 'auditor')
  @ApiOperation({ summary: 'Replay every recorded score (or the one ?scoreEvent= selects) and check the hash chain' })
  @ApiScoreEventQuery()
  @ApiResult(200, 'What the replay and the chain walk found.', VerificationView)
  async verify(@Param('assessmentId') assessmentId: string, @Query('scoreEvent') scoreEvent?: string) {
    return this.assessments.verify(assessmentId, selectedScoreEvent(scoreEvent));
  }
}
