import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { DomainErrorFilter, ETagInterceptor, strictValidationPipe } from '@maatlat/shared/nest';

/** Everything an API instance needs besides its modules; shared by main.ts and the e2e tests. */
export function configureApi(app: INestApplication): INestApplication {
  // A model version document is a few hundred kilobytes.
  (app as NestExpressApplication).useBodyParser('json', { limit: '5mb' });
  (app as NestExpressApplication).disable('x-powered-by');
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  app.useGlobalInterceptors(new ETagInterceptor());
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
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
