export { DomainErrorFilter, type ErrorBody } from './domain-error.filter';
export { strictValidationPipe, validationProblems } from './validation';
export { loggerModule } from './logging';
export { checkConnections, prepareToStart, runOrExit } from './startup';
export { Public, PUBLIC_ENDPOINT } from './public';
export { CoreModule } from './core.module';
export { HealthModule } from './health.module';
export { MAX_READY_LAG } from './health.controller';
export { IfMatch, ApiIfMatch, ETagInterceptor, parseIfMatch } from './concurrency';
