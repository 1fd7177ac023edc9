import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PublicJwkView {
  @ApiProperty({ enum: ['OKP'] }) kty!: string;
  @ApiProperty({ enum: ['Ed25519'] }) crv!: string;
  @ApiProperty({ description: 'The public key, base64url' }) x!: string;
  @ApiProperty({ description: "The key id checkpoints name in keyId", example: 'c1' }) kid!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
  @ApiProperty({ enum: ['EdDSA'] }) alg!: string;
}

export class JwkSetView {
  @ApiProperty({ type: [PublicJwkView], description: 'The key that signs checkpoints; empty when the platform signs none' }) keys!: PublicJwkView[];
}

export class LogPositionView {
  @ApiProperty({ description: 'PostgreSQL transaction id (xid8), as text' }) transactionId!: string;
  @ApiProperty() position!: number;
}

export class CheckpointStatementView {
  @ApiProperty({ example: 'maatlat-checkpoint/1' }) format!: string;
  @ApiProperty() sequence!: number;
  @ApiProperty({ type: LogPositionView, description: 'The last event covered: everything up to it, nothing after' }) logPosition!: LogPositionView;
  @ApiProperty({ description: 'How many stream heads the Merkle tree has' }) streams!: number;
  @ApiProperty({ description: 'The Merkle root (RFC 6962) over every stream head, hex' }) root!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty() keyId!: string;
}

export class SignedCheckpointView {
  @ApiProperty({ type: CheckpointStatementView }) statement!: CheckpointStatementView;
  @ApiProperty({ description: "Ed25519 over the statement's canonical JSON, base64url" }) signature!: string;
}

export class StreamHeadView {
  @ApiProperty() streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'hex' }) hash!: string;
}

export class ProvenEventView {
  @ApiProperty() streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ enum: ['ScoreCalculated', 'ScoreRecalculated'] }) type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty({ description: "SHA-256 of the event's canonical content, hex: what its data and metadata give" }) contentHash!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The event data as stored (the score): only with withEvent=true' }) data?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The event metadata as stored: only with withEvent=true' }) metadata?: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'hex' }) previousHash!: string;
  @ApiProperty({ description: 'hex' }) hash!: string;
}

export class ChainLinkView {
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'hex' }) contentHash!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class ScoreProofView {
  @ApiProperty({ type: SignedCheckpointView }) checkpoint!: SignedCheckpointView;
  @ApiProperty({ type: ProvenEventView, description: 'The score event' }) event!: ProvenEventView;
  @ApiProperty({ type: [ChainLinkView], description: "The stream's later events up to its head at the checkpoint, to recompute each link" }) chain!: ChainLinkView[];
  @ApiProperty({ type: StreamHeadView }) head!: StreamHeadView;
  @ApiProperty() leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ type: [String], description: 'The Merkle audit path from the head to the signed root, hex' }) auditPath!: string[];
}
