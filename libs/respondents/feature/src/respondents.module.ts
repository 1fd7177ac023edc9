import { Module } from '@nestjs/common';
import { RespondentsController } from './respondents.controller';

/** Respondents over HTTP; services from the manifest. */
@Module({ controllers: [RespondentsController] })
export class RespondentsModule {}
