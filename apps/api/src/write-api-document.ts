import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@maatlat/shared/config';
import { runOrExit } from '@maatlat/shared/nest';
import { AppModule } from './app.module';
import { createApiDocument, useVersionedRoutes } from './api-document';

// `write-api-document.ts FILE`: the contract /v1/openapi.json serves, built in-process without a
// database or Redis (Nest's preview mode instantiates nothing), for the linters in `npm run lint:api`.
void runOrExit('write-api-document', async () => {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error('name the file to write the OpenAPI document to');
  // No personal data is touched: a key made for this run lets the services be built.
  const keys = process.env.DATA_KEY_ENCRYPTION_KEYS ?? `document:${randomBytes(32).toString('base64')}`;
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({ ...process.env, DATA_KEY_ENCRYPTION_KEYS: keys, LOG_LEVEL: 'silent' })), { logger: false, preview: true });
  useVersionedRoutes(app);
  writeFileSync(file, `${JSON.stringify(createApiDocument(app), null, 2)}\n`);
  await app.close();
});
