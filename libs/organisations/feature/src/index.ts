export { OrganisationsModule } from './organisations.module';
