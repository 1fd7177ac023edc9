import type { Pool } from 'pg';
import type { AppConfig } from '@maatlat/shared/config';
import { Forbidden, NotFound, RuleBroken } from '@maatlat/shared/domain';
import { assertActsFor, type Principal } from '@maatlat/access';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import {
  checkpointFile,
  checkpointSigner,
  findCheckpoint,
  listCheckpoints,
  recordCheckpoint,
  recordCheckpointIfDue,
  scoreInclusionProof,
  verifyCheckpoint,
  type CheckpointVerification,
  type ScheduledCheckpoint,
  type ScoreInclusionProof,
} from '@maatlat/archive/data-access';
import type { CheckpointCopy, CheckpointFile, PublicJwk, SignedCheckpoint } from '@maatlat/archive/domain';

/**
 * The signed checkpoints over HTTP: the public key to check them with, one recorded on demand,
 * and a score event's inclusion proof against one. The pool is the API's own (checkpoints read
 * and lock in transactions of their own, outside the query builder).
 */
export class Checkpoints {
  constructor(
    private readonly config: Pick<AppConfig, 'signingKey' | 'checkpointIntervalMs'>,
    private readonly assessments: AssessmentRepository,
  ) {}

  /** The checkpoint key's public half; a configuration error without SIGNING_KEY. */
  signingKey(): PublicJwk {
    return checkpointSigner(this.config).publicJwk;
  }

  /** The checkpoint key's public half as a JWK set (RFC 7517); empty when the platform signs none. */
  publicKeys(): { keys: PublicJwk[] } {
    const key = this.ownKey();
    return { keys: key ? [key] : [] };
  }

  /** The platform's public key when it has SIGNING_KEY. */
  private ownKey(): PublicJwk | undefined {
    return this.config.signingKey ? checkpointSigner(this.config).publicJwk : undefined;
  }

  async record(pool: Pool, now: Date): Promise<SignedCheckpoint> {
    if (!this.config.signingKey) throw new RuleBroken('checkpoint.no-signing-key', 'this platform has no signing key (SIGNING_KEY), so it records no checkpoints');
    const { statement, signature } = await recordCheckpoint(pool, checkpointSigner(this.config), now);
    return { statement, signature };
  }

  /** An operator's checkpoint (`cli checkpoint create`): recorded now, as a file that keeps the stream heads it covers. */
  async recordAsFile(pool: Pool, now: Date = new Date()): Promise<CheckpointFile> {
    // Without SIGNING_KEY a configuration error, as for any process that must sign.
    const signer = checkpointSigner(this.config);
    const checkpoint = await recordCheckpoint(pool, signer, now);
    return checkpointFile(checkpoint, signer.publicJwk, checkpoint.heads);
  }

  /**
   * Whether the log still holds exactly what a copy of a checkpoint covered. Its signature is checked
   * with the key given, else this platform's own when the key ids match, else the key the copy carries.
   */
  async verifyFile(pool: Pool, copy: CheckpointCopy, publicKey?: PublicJwk): Promise<CheckpointVerification> {
    const own = this.ownKey();
    return verifyCheckpoint(pool, copy, publicKey ?? (own?.kid === copy.statement.keyId ? own : undefined));
  }

  /**
   * The inclusion proof of the assessment's latest score event against the checkpoint (the latest
   * without one), with no access check: the operator's (`cli proof`), and `scoreProof`'s after its own.
   */
  async scoreProofUnchecked(pool: Pool, assessmentId: string, sequence?: number, withEvent = false): Promise<ScoreInclusionProof> {
    return scoreInclusionProof(pool, await this.one(pool, sequence), assessmentId, { withEvent });
  }

  /** The periodic checkpoint (the worker's schedule): one per interval across workers, none while the log stands still. */
  async recordIfDue(pool: Pool, now: Date): Promise<ScheduledCheckpoint> {
    if (!this.config.signingKey || this.config.checkpointIntervalMs <= 0) return { skipped: 'not-due' };
    return recordCheckpointIfDue(pool, checkpointSigner(this.config), this.config.checkpointIntervalMs, now);
  }

  /** The inclusion proof of the assessment's latest score event the checkpoint (or the latest) covers. */
  async scoreProof(pool: Pool, principal: Principal, assessmentId: string, sequence?: number, withEvent = false): Promise<ScoreInclusionProof> {
    try {
      assertActsFor(principal, await this.assessments.organisationOf(assessmentId));
    } catch (error) {
      // An unknown assessment and another organisation's look the same from outside.
      if (error instanceof NotFound || error instanceof Forbidden) throw new Forbidden("this assessment is not one of the caller's organisations");
      throw error;
    }
    return this.scoreProofUnchecked(pool, assessmentId, sequence, withEvent);
  }

  /** The recorded checkpoints, newest first: at most `limit`, those before sequence `before` when given (the next page). */
  list(pool: Pool, options: { limit?: number; before?: number } = {}): Promise<SignedCheckpoint[]> {
    return listCheckpoints(pool, options.limit ?? 100, options.before);
  }

  /** One recorded checkpoint by sequence, or the latest; 404 when there is none. */
  async one(pool: Pool, sequence?: number): Promise<SignedCheckpoint> {
    const checkpoint = await findCheckpoint(pool, sequence);
    if (!checkpoint) throw new NotFound('checkpoint', sequence === undefined ? 'any: none has been recorded yet' : String(sequence));
    return checkpoint;
  }
}
