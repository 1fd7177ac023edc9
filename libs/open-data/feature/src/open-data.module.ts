import { Module } from '@nestjs/common';
import { OpenDataController } from './open-data.controller';
import { PublicationsController } from './publications.controller';

/** Woo open data over HTTP; services from the manifest. */
@Module({ controllers: [PublicationsController, OpenDataController] })
export class OpenDataModule {}
