import { Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Database } from '@maatlat/shared/database';
import { DATABASE } from '@maatlat/shared/tokens';
import { assertIds, ValidationFailed } from '@maatlat/shared/domain';
import { ApiProblems, ApiResult, Public } from '@maatlat/shared/nest';
import { CurrentPrincipal, Roles, type Principal } from '@maatlat/access';
import { Checkpoints } from './checkpoints.service';
import { CHECKPOINT_SEQUENCE } from '@maatlat/archive/domain';
import { CheckpointListQueryDto, ScoreProofQueryDto } from './checkpoints.dtos';
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

  @Get('checkpoints')
  @Public()
  @ApiOperation({ summary: 'The signed checkpoints recorded so far, newest first (public: the open dataset carries them too)' })
  @ApiResult(200, 'The checkpoints, each checkable with the key at /.well-known/maatlat-keys.', [SignedCheckpointView])
  list(@Query() query: CheckpointListQueryDto) {
    return this.checkpoints.list(this.database.pool, query);
  }

  @Get('checkpoints/:sequence')
  @Public()
  @ApiParam({ name: 'sequence', description: "The checkpoint's sequence number, or latest", example: 'latest' })
  @ApiOperation({ summary: 'One signed checkpoint, by sequence number or the latest: a copy to keep, and to give `cli verify --checkpoint`' })
  @ApiResult(200, 'The signed checkpoint.', SignedCheckpointView)
  @ApiProblems({ 404: 'No such checkpoint (or none recorded yet).' })
  one(@Param('sequence') sequence: string) {
    if (sequence !== 'latest' && !CHECKPOINT_SEQUENCE.test(sequence)) throw new ValidationFailed([{ field: 'sequence', problem: "must be a checkpoint's sequence number (1, 2, ...) or latest" }]);
    return this.checkpoints.one(this.database.pool, sequence === 'latest' ? undefined : Number(sequence));
  }

  @Get('assessments/:assessmentId/score-proof')
  @ApiBearerAuth()
  @Roles('coordinator', 'auditor')
  @ApiOperation({ summary: "Inclusion proof of the assessment's latest score event a checkpoint covers: the event, the links to its stream head and the Merkle audit path to the signed root" })
  @ApiResult(200, 'The proof, checkable with SHA-256 and the public key alone.', ScoreProofView)
  @ApiProblems({ 403: "The assessment is not one of the caller's organisations.", 404: 'No such checkpoint, or it covers no score of the assessment.' })
  scoreProof(@Param('assessmentId') assessmentId: string, @Query() query: ScoreProofQueryDto, @CurrentPrincipal() principal: Principal) {
    assertIds({ assessmentId });
    return this.checkpoints.scoreProof(this.database.pool, principal, assessmentId, query.checkpoint, query.withEvent === 'true');
  }
}
