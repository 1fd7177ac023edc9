import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG } from '@maatlat/shared/tokens';
import { IdempotencyInterceptor } from '@maatlat/access';
import { DomainErrorFilter, ETagInterceptor, securityHeaders, strictValidationPipe, useJsonBodies } from '@maatlat/shared/nest';

const DOCS_PATH = 'api/docs';

/** Everything an API instance needs besides its modules; shared by main.ts and the e2e tests. */
export function configureApi(app: INestApplication): INestApplication {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // The client's address (rate limits, logs) comes through the proxies the operator says to trust.
  express.set('trust proxy', express.get<AppConfig>(APP_CONFIG).trustProxy);
  // First, so that every response has them, errors and the docs included.
  express.use(securityHeaders({ docsPath: `/${DOCS_PATH}`, cacheablePaths: ['/health'] }));
  // A model version document is a few hundred kilobytes, nine levels deep in its request.
  useJsonBodies(express, { limit: '5mb', maxDepth: 32, maxArrayLength: 10_000 });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  // Interceptors run after the guards (a key is only recorded for a caller who may make the
  // request); the first listed is the outermost, so a replayed response gets its ETag as well.
  app.useGlobalInterceptors(new ETagInterceptor(), app.get(IdempotencyInterceptor));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Maatlat API')
      .setDescription('Auditable data-maturity assessments for Dutch public organisations')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}/openapi.json` });
  return app;
}
