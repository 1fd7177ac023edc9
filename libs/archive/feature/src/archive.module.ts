import { Module } from '@nestjs/common';
import { ArchiveExportsController } from './archive-exports.controller';
import { CheckpointsController } from './checkpoints.controller';

/** Checkpoints and archival exports over HTTP; services from the manifest. */
@Module({ controllers: [CheckpointsController, ArchiveExportsController] })
export class ArchiveModule {}
