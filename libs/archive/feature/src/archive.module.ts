import { Module } from '@nestjs/common';
import { CheckpointsController } from './checkpoints.controller';

/** Checkpoints over HTTP; services from the manifest. */
@Module({ controllers: [CheckpointsController] })
export class ArchiveModule {}
