export { ModelCatalogueModule } from './model-catalogue.module';
