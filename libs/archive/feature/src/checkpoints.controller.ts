import { Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Database } from '@maatlat/shared/database';
import { DATABASE } from '@maatlat/shared/tokens';
import { assertIds } from '@maatlat/shared/domain';
import { ApiProblems, ApiResult, Public } from '@maatlat/shared/nest';
import { CurrentPrincipal, Roles, type Principal } from '@maatlat/access';
import { Checkpoints } from './checkpoints.service';
import { JwkSetView, ScoreProofView, SignedCheckpointView } from './checkpoints.views';

/** Signed checkpoints of the log: their public key for anyone, one on demand, a score's inclusion proof. */
@ApiTags('checkpoints')
@Controller()
export class CheckpointsController {
  constructor(
    private readonly checkpoints: Checkpoints,
    @Inject(DATABASE) private readonly database: Database,
  ) {}

  @Get('.well-known/maatlat-keys')
  @Public()
  @ApiOperation({ summary: "The key that signs the log's checkpoints, as a JWK set (Ed25519): to check a checkpoint, an export or a score's inclusion proof offline" })
  @ApiResult(200, 'The JWK set; empty when the platform signs no checkpoints.', JwkSetView)
  keys() {
    return this.checkpoints.publicKeys();
  }

  @Post('checkpoints')
  @ApiBearerAuth()
  @Roles('platform-admin')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried request with the same key records no second checkpoint' })
  @ApiOperation({ summary: 'Record a signed checkpoint of the whole log now: the Merkle root over every stream head at the last settled place, signed with the platform key' })
  @ApiResult(201, 'The signed checkpoint.', SignedCheckpointView)
  @ApiProblems({ 422: 'The platform has no signing key (SIGNING_KEY).' })
  record() {
    return this.checkpoints.record(this.database.pool, new Date());
  }

  @Get('assessments/:assessmentId/score-proof')
  @ApiBearerAuth()
  @Roles('coordinator', 'auditor')
  @ApiQuery({ name: 'checkpoint', required: false, description: "The checkpoint's sequence number; default the latest", example: 1 })
  @ApiQuery({ name: 'withEvent', required: false, enum: ['true', 'false'], description: "true: the proof carries the score event's data and metadata (often hundreds of kilobytes); default only its content hash" })
  @ApiOperation({ summary: "Inclusion proof of the assessment's latest score event a checkpoint covers: the event, the links to its stream head and the Merkle audit path to the signed root" })
  @ApiResult(200, 'The proof, checkable with SHA-256 and the public key alone.', ScoreProofView)
  @ApiProblems({ 403: "The assessment is not one of the caller's organisations.", 404: 'No such checkpoint, or it covers no score of the assessment.' })
  scoreProof(@Param('assessmentId') assessmentId: string, @Query('checkpoint') checkpoint: unknown, @Query('withEvent') withEvent: unknown, @CurrentPrincipal() principal: Principal) {
    assertIds({ assessmentId });
    return this.checkpoints.scoreProof(this.database.pool, principal, assessmentId, checkpoint, withEvent);
  }
}
