import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application } from 'express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG } from '@maatlat/shared/tokens';
import { IdempotencyInterceptor } from '@maatlat/access';
import { stringify } from 'yaml';
import { apiVersionHeader, DomainErrorFilter, ETagInterceptor, securityHeaders, strictValidationPipe, useJsonBodies } from '@maatlat/shared/nest';
import { createApiDocument, OPENAPI_DOCUMENT_PATHS, useVersionedRoutes } from './api-document';
import { serveWebApplication } from './web-application';

/** The documentation UI, for people; the document itself is published under the version prefix. */
const DOCS_UI_PATH = 'api/docs';

/** Everything an API instance needs besides its modules; shared by main.ts and the e2e tests. */
export function configureApi(app: INestApplication): INestApplication {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // The client's address (rate limits, logs) comes through the proxies the operator says to trust.
  const config = express.get<AppConfig>(APP_CONFIG);
  express.set('trust proxy', config.trustProxy);
  // First, so that every response has them, errors and the docs included.
  express.use(apiVersionHeader());
  express.use(securityHeaders({ docsPath: `/${DOCS_UI_PATH}`, cacheablePaths: ['/health', OPENAPI_DOCUMENT_PATHS.json, OPENAPI_DOCUMENT_PATHS.yaml] }));
  // A model version document is a few hundred kilobytes, nine levels deep in its request.
  useJsonBodies(express, { limit: '5mb', maxDepth: 32, maxArrayLength: 10_000 });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  // Interceptors run after the guards (a key is only recorded for a caller who may make the
  // request); the first listed is the outermost, so a replayed response gets its ETag as well.
  app.useGlobalInterceptors(new ETagInterceptor(), app.get(IdempotencyInterceptor));
  app.enableShutdownHooks();
  useVersionedRoutes(app);
  const document = createApiDocument(app);
  const json = JSON.stringify(document);
  // Repeated objects written out in full: YAML anchors would surprise readers and some tools.
  const yaml = stringify(document, { aliasDuplicateObjects: false });
  const server = express.getHttpAdapter().getInstance() as Application;
  server.get(OPENAPI_DOCUMENT_PATHS.json, (_request, response) => void response.type('application/json').send(json));
  server.get(OPENAPI_DOCUMENT_PATHS.yaml, (_request, response) => void response.type('application/yaml').send(yaml));
  SwaggerModule.setup(DOCS_UI_PATH, app, document, { raw: false });
  // The web application at `/`, after the API's own paths (see web-application.ts).
  serveWebApplication(server, config);
  return app;
}
