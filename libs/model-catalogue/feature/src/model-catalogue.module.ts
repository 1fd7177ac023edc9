import { Module } from '@nestjs/common';
import { ModelCatalogueController } from './model-catalogue.controller';

/** The catalogue's HTTP routes; its services come from the manifest (see model-catalogue.feature.ts). */
@Module({ controllers: [ModelCatalogueController] })
export class ModelCatalogueModule {}
